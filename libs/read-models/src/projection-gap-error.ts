/**
 * An event arrived past a gap in its stream: the read model holds the stream at
 * `expectedVersion - 1`, so `gotVersion` cannot be applied yet. Nothing of that event was
 * applied; the caller reads versions `expectedVersion..gotVersion` from the store, applies
 * them, and goes on.
 */
export class ProjectionGapError extends Error {
  constructor(
    readonly streamId: string,
    /** The next version the read model can apply (its stream version + 1). */
    readonly expectedVersion: number,
    readonly gotVersion: number,
  ) {
    super(
      `read model is missing events of stream ${streamId}: expected version ${expectedVersion}, got ${gotVersion}`,
    );
    this.name = 'ProjectionGapError';
  }
}
