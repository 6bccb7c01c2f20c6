import { DuckDBTypeId } from '@duckdb/node-api';
import { Command, Help, Option } from 'nest-commander';
import { CliError, badArgument, oneLine } from '../cli-error';
import { EventsTable } from '../events-table';
import { Interruption, INTERRUPTED_EXIT_CODE } from '../interruption';
import { CONFIG_HELP, oneOf, type HistoryOptions } from '../options';
import { renderCsv, renderJson, renderTable, type Cell } from '../output-format';
import { StoreAccess } from '../store-access';
import { HistoryCommand } from './history-command';

const FORMATS = ['table', 'csv', 'json'] as const;
type QueryFormat = (typeof FORMATS)[number];

interface QueryOptions extends HistoryOptions {
  format?: QueryFormat;
}

@Command({
  name: 'query',
  arguments: '<sql>',
  argsDescription: {
    sql: 'DuckDB SQL over the table `events` (the columns of the Parquet export)',
  },
  description: 'Answer SQL over the event history with embedded DuckDB',
})
export class QueryCommand extends HistoryCommand {
  constructor(access: StoreAccess, interruption: Interruption) {
    super(access, interruption);
  }

  @Option({
    flags: '--format <format>',
    description: 'table (aligned), csv, or json (an array of row objects)',
    choices: [...FORMATS],
    defaultValue: 'table',
  })
  parseFormat(value: string): string {
    return oneOf('--format', FORMATS)(value);
  }

  @Help('after')
  examples(): string {
    return `
The table \`events\` has the columns id, type, schemaVersion, streamId, streamType, version,
tenantId, occurredAt, recordedAt (ISO-8601 text), data and metadata (JSON text). The filters
choose which events it holds.

Examples:
  $ billing-events query "select type, count(*) as events from events group by 1 order by 2 desc"
  $ billing-events query --tenant merchant_a --format csv \\
      "select date_trunc('week', occurredAt::timestamptz) as week, count(*) from events
       where type = 'BillingScheduleActivated' group by 1 order by 1"
  $ billing-events query --format json "select streamId, data->>'$.status' as status from events limit 5"
${CONFIG_HELP}`;
  }

  async run([sql]: string[], options: QueryOptions): Promise<void> {
    if (sql === undefined || sql.trim() === '') throw badArgument('the SQL query is empty');
    const table = await EventsTable.create();
    try {
      // Bind the query against the empty table first: a typo fails before the history is read.
      await table.connection.prepare(sql).catch((error: unknown) => {
        throw new CliError(`query failed: ${oneLine(error)}`);
      });
      const loaded = await this.walk(
        'load',
        options,
        async (events) => table.append(events),
        'loaded',
      );
      if (loaded.interrupted) {
        process.stderr.write('interrupted while loading the events; no query was run\n');
        process.exitCode = INTERRUPTED_EXIT_CODE;
        return;
      }
      table.flush();
      const reader = await table.connection.runAndReadAll(sql).catch((error: unknown) => {
        throw new CliError(`query failed: ${oneLine(error)}`);
      });
      const columns = reader.columnNames();
      const integers = reader.columnTypes().map((type) => WHOLE_NUMBERS.has(type.typeId));
      const rows = reader
        .getRowsJson()
        .map((row) => row.map((value, i) => toCell(value, integers[i])));
      const render = { table: renderTable, csv: renderCsv, json: renderJson }[
        options.format ?? 'table'
      ];
      process.stdout.write(render(columns, rows));
    } finally {
      table.close();
    }
  }
}

const WHOLE_NUMBERS = new Set([DuckDBTypeId.BIGINT, DuckDBTypeId.HUGEINT, DuckDBTypeId.UBIGINT]);

/**
 * DuckDB's JSON form of a value. Counts and sums of whole numbers (BIGINT, HUGEINT) come as
 * text and become numbers while exact; DECIMALs stay text, so money keeps its digits.
 */
function toCell(value: unknown, wholeNumber: boolean): Cell {
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    return wholeNumber && Number.isSafeInteger(Number(value)) ? Number(value) : value;
  }
  return JSON.stringify(value);
}
