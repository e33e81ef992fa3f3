/**
 * The hub's notion of "now". Everything time-dependent (quiet hours, waits, consent
 * timestamps) asks the clock, so tests can move time instead of sleeping.
 */
export abstract class Clock {
  abstract now(): Date;

  nowMs(): number {
    return this.now().getTime();
  }
}

export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}

/** A clock that stands still until told to move. Used by tests and the flow simulator. */
export class ManualClock extends Clock {
  private current: number;

  constructor(start: Date | string | number = Date.now()) {
    super();
    this.current = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  set(at: Date | string | number): void {
    this.current = new Date(at).getTime();
  }

  advance(ms: number): Date {
    this.current += ms;
    return this.now();
  }
}
