import { DuckDBInstance, type DuckDBAppender, type DuckDBConnection } from '@duckdb/node-api';
import type { StoredEvent } from '@app/event-store';
import { toEnvelope, type EventEnvelope } from '@app/messaging';

/**
 * The envelope's fields as flat columns, the one row shape of the CSV and Parquet exports and
 * of `query`'s `events` table. `data` and `metadata` are JSON text and the instants keep the
 * envelope's exact text, so every tool reads the file as it is and a row round-trips to the
 * envelope (DuckDB: `data->>'$.x'`, `occurredAt::TIMESTAMPTZ`).
 */
export const EVENT_COLUMNS = [
  ['id', 'VARCHAR'],
  ['type', 'VARCHAR'],
  ['schemaVersion', 'INTEGER'],
  ['streamId', 'VARCHAR'],
  ['streamType', 'VARCHAR'],
  ['version', 'INTEGER'],
  ['tenantId', 'VARCHAR'],
  ['occurredAt', 'VARCHAR'],
  ['recordedAt', 'VARCHAR'],
  ['data', 'VARCHAR'],
  ['metadata', 'VARCHAR'],
] as const satisfies readonly (readonly [keyof EventEnvelope, string])[];

/** An in-memory DuckDB database with the `events` table, filled through its appender. */
export class EventsTable {
  private constructor(
    private readonly instance: DuckDBInstance,
    readonly connection: DuckDBConnection,
    private readonly appender: DuckDBAppender,
  ) {}

  static async create(): Promise<EventsTable> {
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    const columns = EVENT_COLUMNS.map(([name, type]) => `"${name}" ${type}`).join(', ');
    await connection.run(`CREATE TABLE events (${columns})`);
    return new EventsTable(instance, connection, await connection.createAppender('events'));
  }

  append(events: readonly StoredEvent[]): void {
    for (const event of events) {
      const envelope = toEnvelope(event);
      for (const [name, type] of EVENT_COLUMNS) {
        const value = envelope[name];
        if (type === 'INTEGER') this.appender.appendInteger(value as number);
        else if (typeof value === 'string') this.appender.appendVarchar(value);
        else this.appender.appendVarchar(JSON.stringify(value));
      }
      this.appender.endRow();
    }
  }

  /** Makes every appended row visible to queries. */
  flush(): void {
    this.appender.flushSync();
  }

  /** Writes the table in commit order (insertion order) to a CSV (with header) or Parquet file. */
  async copyTo(path: string, format: 'csv' | 'parquet'): Promise<void> {
    this.flush();
    const options = format === 'csv' ? 'FORMAT csv, HEADER true' : 'FORMAT parquet';
    await this.connection.run(`COPY events TO '${path.replace(/'/g, "''")}' (${options})`);
  }

  close(): void {
    this.appender.closeSync();
    this.connection.closeSync();
    this.instance.closeSync();
  }
}
