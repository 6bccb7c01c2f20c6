import type { Db } from 'mongodb';
import { ensureEventTables, type SqliteDatabase } from '@app/event-store';

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

/** Embedded mode: one row per consumer in the `relay_checkpoints` table of the shared database. */
export class SqliteCheckpointStore implements CheckpointStore {
  private readonly sql;

  constructor(db: SqliteDatabase) {
    ensureEventTables(db);
    this.sql = {
      get: db.prepare<[string], { position: number }>(
        'SELECT position FROM relay_checkpoints WHERE name = ?',
      ),
      set: db.prepare<[string, number]>(
        `INSERT INTO relay_checkpoints (name, position) VALUES (?, ?)
         ON CONFLICT (name) DO UPDATE SET position = excluded.position`,
      ),
    };
  }

  async get(name: string): Promise<number> {
    return this.sql.get.get(name)?.position ?? 0;
  }

  async set(name: string, position: number): Promise<void> {
    this.sql.set.run(name, position);
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
