/** Time is passed in (SPEC: the domain never reads the clock); tests substitute their own. */
export abstract class Clock {
  abstract now(): Date;
}

export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}

export const isoNow = (clock: Clock): string => toIso(clock.now());

/** UTC, `Z`, milliseconds only when non-zero (SPEC §2). */
export const toIso = (date: Date): string => date.toISOString().replace('.000Z', 'Z');
