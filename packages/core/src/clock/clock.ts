/**
 * Where the calendar time is read: backup names, state and lock timestamps.
 * Passed in so tests pin it; durations use performance.now() and stay out of it.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock stopped at `at`, for tests and for output that must not drift. */
export function fixedClock(at: Date | string): Clock {
  const time = new Date(at).getTime();
  return { now: () => new Date(time) };
}
