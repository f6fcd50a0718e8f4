export interface Clock {
  now(): Date;
  /** Resolves after `ms`; background pollers wait with this so tests can drive time. */
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => new Date(),
  sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
};
