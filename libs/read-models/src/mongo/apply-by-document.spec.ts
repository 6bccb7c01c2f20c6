import type { StoredEvent } from '@app/event-store';
import { ProjectionGapError } from '../projection-gap-error';
import { applyByDocument, type DocumentProjection } from './mongo-projection-support';

/** A document that remembers which events were folded into it, by position. */
interface Doc {
  version: number;
  positions: number[];
}

function event(streamId: string, version: number, position: number): StoredEvent {
  return {
    id: `${streamId}-${version}`,
    streamId,
    streamType: 'test',
    version,
    position,
    tenantId: 't',
    type: 'Happened',
    schemaVersion: 1,
    occurredAt: '2024-01-01T00:00:00.000Z',
    recordedAt: '2024-01-01T00:00:00.000Z',
    data: {},
    metadata: {},
  } as StoredEvent;
}

/** An in-memory collection with compare-and-set, counting reads and writes. */
class FakeCollection implements DocumentProjection<Doc> {
  readonly docs = new Map<string, Doc>();
  loads = 0;
  writes = 0;
  /** Runs once before the next write of that document (another projector getting there first). */
  readonly beforeWrite = new Map<string, () => void>();
  /** Runs once when the document is next loaded after the first load. */
  readonly beforeReload = new Map<string, () => void>();
  private readonly loaded = new Set<string>();

  documentOf = (e: StoredEvent) => (e.streamId.startsWith('skip') ? null : e.streamId);

  fold = (current: Doc | null, e: StoredEvent): Doc => ({
    version: e.version,
    positions: [...(current?.positions ?? []), e.position],
  });

  async load(id: string): Promise<Doc | null> {
    this.loads += 1;
    if (this.loaded.has(id)) this.take(this.beforeReload, id);
    this.loaded.add(id);
    return this.docs.get(id) ?? null;
  }

  async loadMany(ids: readonly string[]): Promise<Map<string, Doc>> {
    this.loads += 1;
    for (const id of ids) this.loaded.add(id);
    return new Map(ids.flatMap((id) => (this.docs.has(id) ? [[id, this.docs.get(id)!]] : [])));
  }

  async write(id: string, next: Doc, current: Doc | null): Promise<boolean> {
    this.take(this.beforeWrite, id);
    this.writes += 1;
    if ((this.docs.get(id)?.version ?? null) !== (current?.version ?? null)) return false;
    this.docs.set(id, next);
    return true;
  }

  private take(hooks: Map<string, () => void>, id: string) {
    const hook = hooks.get(id);
    hooks.delete(id);
    hook?.();
  }
}

class FakeCheckpoint {
  position = 0;
  async advance(position: number) {
    this.position = Math.max(this.position, position);
  }
}

/** a1 b1 a2 skip c1 b2 a3 c2: three documents, one ignored event. */
const history = [
  event('a', 1, 1),
  event('b', 1, 2),
  event('a', 2, 3),
  event('skip', 1, 4),
  event('c', 1, 5),
  event('b', 2, 6),
  event('a', 3, 7),
  event('c', 2, 8),
];
const positionsOf = (stream: string, events = history) =>
  events.filter((e) => e.streamId === stream).map((e) => e.position);

describe('applyByDocument', () => {
  it('given an empty collection, when a batch is applied, then the documents are read in one query and each written once, folded in order', async () => {
    const collection = new FakeCollection();
    const checkpoint = new FakeCheckpoint();
    await applyByDocument(history, checkpoint, collection);
    expect(collection.loads).toBe(1);
    expect(collection.writes).toBe(3);
    for (const id of ['a', 'b', 'c']) {
      expect(collection.docs.get(id)?.positions).toEqual(positionsOf(id));
    }
    expect(checkpoint.position).toBe(8);
  });

  it('given the documents stored, when the batch is redelivered in any order, then nothing is written', async () => {
    const collection = new FakeCollection();
    await applyByDocument(history, new FakeCheckpoint(), collection);
    const before = structuredClone([...collection.docs]);
    collection.writes = 0;
    await applyByDocument([...history].reverse(), new FakeCheckpoint(), collection);
    await applyByDocument(history.slice(2, 6), new FakeCheckpoint(), collection);
    expect(collection.writes).toBe(0);
    expect([...collection.docs]).toEqual(before);
  });

  it('given another projector stores part of a document first, when the write loses, then the rest is folded onto what it stored', async () => {
    const collection = new FakeCollection();
    collection.beforeWrite.set('a', () => {
      collection.docs.set('a', { version: 2, positions: [1, 3] });
    });
    await applyByDocument(history, new FakeCheckpoint(), collection);
    // a1 and a2 are not folded twice: only a3 goes onto the other projector's document.
    expect(collection.docs.get('a')).toEqual({ version: 3, positions: [1, 3, 7] });
  });

  it('given another projector stores the whole document first, when the write loses, then it is left as stored', async () => {
    const collection = new FakeCollection();
    const theirs = { version: 3, positions: [-1, -3, -7] };
    collection.beforeWrite.set('a', () => collection.docs.set('a', theirs));
    await applyByDocument(history, new FakeCheckpoint(), collection);
    expect(collection.docs.get('a')).toBe(theirs);
  });

  it('given a gap, when the batch is applied, then what came before is stored and checkpointed, nothing after, and ProjectionGapError names the stream', async () => {
    const collection = new FakeCollection();
    const checkpoint = new FakeCheckpoint();
    const batch = history.filter((e) => !(e.streamId === 'b' && e.version === 1));
    const error = await applyByDocument(batch, checkpoint, collection).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProjectionGapError);
    expect(error).toMatchObject({ streamId: 'b', expectedVersion: 1, gotVersion: 2 });
    // b2 is at position 6: a1 a2 c1 are applied, a3 and c2 are not.
    expect(collection.docs.get('a')?.positions).toEqual([1, 3]);
    expect(collection.docs.get('c')?.positions).toEqual([5]);
    expect(collection.docs.has('b')).toBe(false);
    expect(checkpoint.position).toBe(5);
  });

  it('given a gap that another projector fills meanwhile, when the batch is applied, then it goes on past the gap', async () => {
    const collection = new FakeCollection();
    const checkpoint = new FakeCheckpoint();
    const batch = history.filter((e) => !(e.streamId === 'b' && e.version === 1));
    collection.beforeReload.set('b', () => {
      collection.docs.set('b', { version: 1, positions: [2] });
    });
    await applyByDocument(batch, checkpoint, collection);
    for (const id of ['a', 'b', 'c']) {
      expect(collection.docs.get(id)?.positions).toEqual(positionsOf(id));
    }
    expect(checkpoint.position).toBe(8);
  });

  it('given a stream that starts past version 1, when applied, then it is a gap and nothing is checkpointed', async () => {
    const collection = new FakeCollection();
    const checkpoint = new FakeCheckpoint();
    await expect(applyByDocument([event('a', 2, 3)], checkpoint, collection)).rejects.toMatchObject(
      { name: 'ProjectionGapError', expectedVersion: 1, gotVersion: 2 },
    );
    expect(checkpoint.position).toBe(0);
  });
});
