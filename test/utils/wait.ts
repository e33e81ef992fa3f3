/**
 * Polling helpers for end-to-end tests: wait on what a user would see (a row's state, a
 * message in the log) with a deadline, instead of sleeping.
 */
const POLL_MS = 25;

/** Resolves with the first truthy value `probe` returns; fails naming `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false> | T | null | undefined | false, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/**
 * Resolves with the first value `check` returns that is neither undefined nor false (so 0 and ''
 * count); fails after `ms` with the last value seen.
 */
export async function eventually<T>(check: () => Promise<T | undefined | false>, what: string, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value as T;
    last = value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (last: ${JSON.stringify(last)})`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** Polls `probe` until its value satisfies `done`; fails after `timeoutMs` with the last value. */
export async function pollUntil<T>(probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000, label = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await probe();
  while (!done(last)) {
    if (Date.now() > deadline) throw new Error(`${label} not reached within ${timeoutMs} ms; last value: ${JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS * 2));
    last = await probe();
  }
  return last;
}
