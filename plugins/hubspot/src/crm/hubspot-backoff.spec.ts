import { HubspotUnavailableError, isTransient, withBackoff } from './hubspot-backoff';

const rateLimited = (policyName = 'TEN_SECONDLY_ROLLING', headers: Record<string, string> = {}) =>
  Object.assign(new Error('HTTP-Code: 429'), { code: 429, body: { status: 'error', errorType: 'RATE_LIMIT', policyName }, headers });

/** A fake timer: sleeping moves `t` forward, so the deadline logic is exercised without waiting. */
function fakeTime() {
  const state = { t: 0, slept: [] as number[] };
  return {
    state,
    now: () => state.t,
    sleep: async (ms: number) => {
      state.slept.push(ms);
      state.t += ms;
    },
  };
}

describe('withBackoff', () => {
  it('retries a TEN_SECONDLY_ROLLING 429 with doubling waits until the call succeeds', async () => {
    const time = fakeTime();
    let calls = 0;
    const result = await withBackoff(
      async () => {
        calls++;
        if (calls < 3) throw rateLimited();
        return 'ok';
      },
      { maxAttempts: 5, baseDelayMs: 100, deadline: 10_000 },
      time.now,
      time.sleep,
    );
    expect(result).toBe('ok');
    expect(calls).toBe(3);
    expect(time.state.slept).toEqual([100, 200]);
  });

  it('honours Retry-After when HubSpot sends it', async () => {
    const time = fakeTime();
    let calls = 0;
    await withBackoff(
      async () => {
        if (calls++ === 0) throw rateLimited('TEN_SECONDLY_ROLLING', { 'retry-after': '2' });
        return 1;
      },
      { maxAttempts: 3, baseDelayMs: 100, deadline: 10_000 },
      time.now,
      time.sleep,
    );
    expect(time.state.slept).toEqual([2000]);
  });

  it('gives up with HubspotUnavailableError when the next wait would pass the deadline', async () => {
    const time = fakeTime();
    const attempt = withBackoff(
      async () => {
        throw rateLimited();
      },
      { maxAttempts: 10, baseDelayMs: 400, deadline: 1000 },
      time.now,
      time.sleep,
    );
    await expect(attempt).rejects.toBeInstanceOf(HubspotUnavailableError);
    await expect(attempt).rejects.toMatchObject({ status: 429, attempts: 2 });
    expect(time.state.slept).toEqual([400]);
  });

  it('stops after maxAttempts', async () => {
    const time = fakeTime();
    let calls = 0;
    await expect(
      withBackoff(
        async () => {
          calls++;
          throw Object.assign(new Error('bad gateway'), { code: 502 });
        },
        { maxAttempts: 3, baseDelayMs: 1, deadline: 1e9 },
        time.now,
        time.sleep,
      ),
    ).rejects.toMatchObject({ name: 'HubspotUnavailableError', status: 502, attempts: 3 });
    expect(calls).toBe(3);
  });

  it('does not retry a daily quota, a 404 or a 401', async () => {
    for (const error of [rateLimited('DAILY'), Object.assign(new Error('nf'), { code: 404 }), Object.assign(new Error('auth'), { code: 401 })]) {
      let calls = 0;
      await expect(
        withBackoff(
          async () => {
            calls++;
            throw error;
          },
          { maxAttempts: 5, baseDelayMs: 1, deadline: 1e9 },
        ),
      ).rejects.toBe(error);
      expect(calls).toBe(1);
    }
  });

  it('treats connection failures as transient', () => {
    expect(isTransient(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isTransient(new Error('something else'))).toBe(false);
  });
});
