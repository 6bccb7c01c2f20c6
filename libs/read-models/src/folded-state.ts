import type { StoredEvent } from '@app/event-store';

/**
 * Whether a state the command runner folded can be stored as it is: the events are all of one
 * stream, continue it from the stored version without a gap, and end at the folded version.
 * Anything else (a redelivery, a gap, a mixed batch) takes the version-guarded fold.
 */
export function continuesStream(
  events: readonly StoredEvent[],
  streamId: string,
  storedVersion: number,
  foldedVersion: number,
): boolean {
  return (
    events.length > 0 &&
    events.every(
      (event, i) => event.streamId === streamId && event.version === storedVersion + 1 + i,
    ) &&
    events[events.length - 1].version === foldedVersion
  );
}
