import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Db } from 'mongodb';

/** Where a consumer of the event log (the outbox relay) records how far it got. */
export interface CheckpointStore {
  get(name: string): Promise<number>;
  set(name: string, position: number): Promise<void>;
}

export class InMemoryCheckpointStore implements CheckpointStore {
  private readonly positions = new Map<string, number>();

  async get(name: string): Promise<number> {
    return this.positions.get(name) ?? 0;
  }

  async set(name: string, position: number): Promise<void> {
    this.positions.set(name, position);
  }
}

/** Embedded mode: one small JSON file per checkpoint in DATA_DIR, replaced atomically. */
export class FileCheckpointStore implements CheckpointStore {
  constructor(private readonly dataDir: string) {}

  async get(name: string): Promise<number> {
    const text = await readFile(this.path(name), 'utf8').catch(() => null);
    return text === null ? 0 : (JSON.parse(text) as { position: number }).position;
  }

  async set(name: string, position: number): Promise<void> {
    await mkdir(this.dataDir, { recursive: true });
    const temporary = `${this.path(name)}.tmp`;
    await writeFile(temporary, JSON.stringify({ position }));
    await rename(temporary, this.path(name));
  }

  private path(name: string): string {
    return join(this.dataDir, `checkpoint-${name}.json`);
  }
}

export class MongoCheckpointStore implements CheckpointStore {
  constructor(private readonly db: Db) {}

  async get(name: string): Promise<number> {
    const doc = await this.db
      .collection<{ _id: string; position: number }>('relay_checkpoints')
      .findOne({ _id: name });
    return doc?.position ?? 0;
  }

  async set(name: string, position: number): Promise<void> {
    await this.db
      .collection<{ _id: string; position: number }>('relay_checkpoints')
      .updateOne({ _id: name }, { $set: { position } }, { upsert: true });
  }
}
