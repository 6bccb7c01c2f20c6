import type { SqliteDatabase, StoredEvent } from '@app/event-store';
import { ProjectionGapError } from '../projection-gap-error';

/** One row per read model table: the highest event position applied to it. */
export const CHECKPOINTS_TABLE = 'read_model_checkpoints';

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/**
 * Table names come from code and the rebuild tool, never from requests; they are still checked,
 * because they are spliced into SQL.
 */
export function tableName(name: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`not a table name: ${JSON.stringify(name)}`);
  return name;
}

/** The position the read model stored in `table` has reached, kept beside it in one file. */
export class SqliteCheckpoint {
  private readonly readStatement;
  private readonly advanceStatement;

  constructor(
    db: SqliteDatabase,
    private readonly table: string,
  ) {
    db.exec(
      `CREATE TABLE IF NOT EXISTS ${CHECKPOINTS_TABLE} (read_model TEXT PRIMARY KEY, position INTEGER NOT NULL)`,
    );
    this.readStatement = db
      .prepare<[string], number>(`SELECT position FROM ${CHECKPOINTS_TABLE} WHERE read_model = ?`)
      .pluck();
    // Never moves back, so batches applied out of position order keep the highest.
    this.advanceStatement = db.prepare<[string, number]>(
      `INSERT INTO ${CHECKPOINTS_TABLE} (read_model, position) VALUES (?, ?)
       ON CONFLICT (read_model) DO UPDATE SET position = max(position, excluded.position)`,
    );
  }

  read(): number {
    return this.readStatement.get(this.table) ?? 0;
  }

  advance(position: number): void {
    this.advanceStatement.run(this.table, position);
  }
}

/**
 * An index the read model needs, by role. Its name is `<table>__<role>`; a rebuilt table keeps
 * the names it was built with after the switch renames it (SQLite cannot rename an index), so
 * an index is recognised by its role, whatever table name it was created under.
 */
export interface SqliteIndex {
  role: string;
  /** Columns (and an optional ` WHERE …` for a partial index), after `ON <table>`. */
  definition: string;
}

export function ensureSqliteIndexes(
  db: SqliteDatabase,
  table: string,
  indexes: readonly SqliteIndex[],
): void {
  const roles = new Set(
    db
      .prepare<[string], string>(
        `SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = ?`,
      )
      .pluck()
      .all(table)
      .map((name) => name.slice(name.lastIndexOf('__') + 2)),
  );
  for (const index of indexes) {
    if (!roles.has(index.role)) {
      db.exec(`CREATE INDEX ${table}__${index.role} ON ${table} ${index.definition}`);
    }
  }
}

/** How one read model stores the folded state of one stream in its table. */
export interface StreamRows<S extends { version: number }> {
  /** Whether the event belongs to this read model. */
  accepts(event: StoredEvent): boolean;
  /** The row key of the event's stream. */
  key(event: StoredEvent): string;
  load(key: string): S | null;
  /** The state after the event; null when the event leaves nothing to store. */
  fold(current: S | null, event: StoredEvent): S | null;
  /** Stores `state`; `stored` is what the table held before this batch (null: no row yet). */
  save(key: string, state: S, stored: S | null): void;
}

/**
 * Applies a batch in one transaction (one sync), guarded by each stream's version: an event at
 * or below the stored version is a redelivery and changes nothing; one past the next version is
 * a gap. On a gap the events before it are committed with their checkpoint and the
 * ProjectionGapError is thrown; nothing of the event past the gap is stored. Each stream's row
 * is read and written once per batch.
 */
export function applyStreamEvents<S extends { version: number }>(
  db: SqliteDatabase,
  events: readonly StoredEvent[],
  checkpoint: SqliteCheckpoint,
  rows: StreamRows<S>,
): void {
  if (events.length === 0) return;
  const gap = withoutSync(db, () =>
    db
      .transaction((): ProjectionGapError | null => {
        const stored = new Map<string, S | null>();
        const states = new Map<string, S | null>();
        const changed = new Set<string>();
        let reached = 0;
        let gapError: ProjectionGapError | null = null;
        for (const event of events) {
          if (rows.accepts(event)) {
            const key = rows.key(event);
            if (!stored.has(key)) {
              stored.set(key, rows.load(key));
              states.set(key, stored.get(key)!);
            }
            const current = states.get(key)!;
            const version = current?.version ?? 0;
            if (event.version > version + 1) {
              gapError = new ProjectionGapError(event.streamId, version + 1, event.version);
              break;
            }
            if (event.version === version + 1) {
              const next = rows.fold(current, event);
              if (next !== null) {
                states.set(key, next);
                changed.add(key);
              }
            }
          }
          reached = Math.max(reached, event.position);
        }
        for (const key of changed) rows.save(key, states.get(key)!, stored.get(key)!);
        if (reached > 0) checkpoint.advance(reached);
        return gapError;
      })
      .immediate(),
  );
  if (gap) throw gap;
}

/**
 * Runs a read-model transaction without syncing the WAL at its commit (synchronous=NORMAL for
 * this transaction only; the connection's setting is restored at once). A read model is derived
 * from the log, and its checkpoint commits with its rows, so a power loss can only take back the
 * newest projections as a whole, and the next start catches up again from the checkpoint. The
 * event store's own commits keep synchronous=FULL (and their sync also writes out the frames
 * before them), so commands stay durable, and one command costs one sync, not two.
 */
export function withoutSync<T>(db: SqliteDatabase, run: () => T): T {
  if (db.inTransaction) return run();
  const previous = db.pragma('synchronous', { simple: true }) as number;
  db.pragma('synchronous = NORMAL');
  try {
    return run();
  } finally {
    db.pragma(`synchronous = ${previous}`);
  }
}

/**
 * Parsed states by key, least recently used first out, bounded by a cost (roughly the number of
 * objects a state holds), so a hot schedule is not parsed again for every command or GET while
 * memory stays bounded however many rows the table holds. An entry is only used for the stream
 * version it was parsed at; `clear` when the schema changes (a rebuild switched the tables).
 */
export class ParsedStateCache<S extends { version: number }> {
  private readonly entries = new Map<string, { state: S; cost: number }>();
  private total = 0;

  constructor(private readonly budget: number) {}

  get(key: string, version: number): S | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    this.entries.delete(key);
    if (entry.state.version !== version) {
      this.total -= entry.cost;
      return undefined;
    }
    this.entries.set(key, entry);
    return entry.state;
  }

  set(key: string, state: S, cost: number): void {
    const old = this.entries.get(key);
    if (old !== undefined) {
      this.entries.delete(key);
      this.total -= old.cost;
    }
    if (cost > this.budget) return;
    this.entries.set(key, { state, cost });
    this.total += cost;
    for (const [oldest, entry] of this.entries) {
      if (this.total <= this.budget) break;
      this.entries.delete(oldest);
      this.total -= entry.cost;
    }
  }

  clear(): void {
    this.entries.clear();
    this.total = 0;
  }
}
