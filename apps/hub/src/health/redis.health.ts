import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { JobQueue } from '@optline/core';

@Injectable()
export class RedisHealthIndicator {
  constructor(
    private readonly indicator: HealthIndicatorService,
    private readonly jobs: JobQueue,
  ) {}

  /** Pings Redis over the queues' own connection: the one the workers depend on. */
  async check(key: string) {
    const session = this.indicator.check(key);
    try {
      const client = await this.jobs.queue('sms.send').client;
      const answer = await Promise.race([
        client.ping(),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout after 2000 ms')), 2000)),
      ]);
      return answer === 'PONG' ? session.up() : session.down({ message: `unexpected answer ${answer}` });
    } catch (error) {
      return session.down({ message: (error as Error).message });
    }
  }
}
