import { open, rm, mkdtemp, type FileHandle } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Command, Help, Option } from 'nest-commander';
import type { StoredEvent } from '@app/event-store';
import { toEnvelope } from '@app/messaging';
import { CliError, oneLine } from '../cli-error';
import { EventsTable } from '../events-table';
import { formatCursor } from '../history';
import { INTERRUPTED_EXIT_CODE, Interruption } from '../interruption';
import { CONFIG_HELP, oneOf, type HistoryOptions } from '../options';
import { StoreAccess } from '../store-access';
import { HistoryCommand } from './history-command';

const FORMATS = ['jsonl', 'csv', 'parquet'] as const;
type ExportFormat = (typeof FORMATS)[number];

interface ExportOptions extends HistoryOptions {
  format?: ExportFormat;
  output?: string;
}

/** Where exported events go: JSONL is streamed; CSV and Parquet are written by DuckDB at the end. */
interface ExportSink {
  write(events: readonly StoredEvent[]): Promise<void>;
  finish(): Promise<void>;
}

@Command({
  name: 'export',
  description:
    'Export events, upcast to their current schema, as JSONL, CSV or Parquet; prints the cursor to resume from',
})
export class ExportCommand extends HistoryCommand {
  constructor(access: StoreAccess, interruption: Interruption) {
    super(access, interruption);
  }

  @Option({
    flags: '--format <format>',
    description:
      'jsonl (the envelope, one per line), csv or parquet (data and metadata as JSON text)',
    choices: [...FORMATS],
    defaultValue: 'jsonl',
  })
  parseFormat(value: string): string {
    return oneOf('--format', FORMATS)(value);
  }

  @Option({ flags: '--output <path>', description: 'the file to write (default: stdout)' })
  parseOutput(value: string): string {
    return value;
  }

  @Help('after')
  examples(): string {
    return `
Examples:
  $ billing-events export --tenant merchant_a --output events.jsonl
  $ billing-events export --format parquet --output events.parquet --from 2024-01-01T00:00:00Z
  $ billing-events export --tenant merchant_a --type ScheduleInvoicesGenerated --format csv > invoices.csv
  $ billing-events export --tenant merchant_a --after ZmVlZDo0Mg --output more.jsonl
${CONFIG_HELP}`;
  }

  async run(_params: string[], options: ExportOptions): Promise<void> {
    const format = options.format ?? 'jsonl';
    const sink =
      format === 'jsonl'
        ? await jsonlSink(options.output)
        : await tableSink(format, options.output);
    let outcome;
    try {
      outcome = await this.walk('export', options, (events) => sink.write(events), 'exported');
    } catch (error) {
      await sink.finish().catch(() => undefined);
      throw error;
    }
    await sink.finish();
    const where = options.output ?? 'stdout';
    const resume = `resume with --after ${formatCursor(outcome.cursor)}`;
    process.stderr.write(
      outcome.interrupted
        ? `interrupted: exported ${outcome.handled} events to ${where}; ${resume}\n`
        : `exported ${outcome.handled} events to ${where} in ${outcome.seconds.toFixed(1)}s ` +
            `(${Math.round(outcome.handled / Math.max(outcome.seconds, 0.001))} events/s); ${resume}\n`,
    );
    if (outcome.interrupted) process.exitCode = INTERRUPTED_EXIT_CODE;
  }
}

async function openOutput(path: string): Promise<FileHandle> {
  try {
    return await open(path, 'w');
  } catch (error) {
    throw new CliError(`cannot write --output ${path}: ${oneLine(error)}`);
  }
}

async function jsonlSink(path: string | undefined): Promise<ExportSink> {
  const file = path === undefined ? undefined : await openOutput(path);
  return {
    async write(events: readonly StoredEvent[]) {
      const text = events.map((event) => `${JSON.stringify(toEnvelope(event))}\n`).join('');
      if (file) await file.write(text);
      else if (!process.stdout.write(text)) {
        await new Promise((resolve) => process.stdout.once('drain', resolve));
      }
    },
    async finish() {
      await file?.close();
    },
  };
}

async function tableSink(format: 'csv' | 'parquet', path: string | undefined): Promise<ExportSink> {
  // Fail on an unwritable path now, not after reading the whole history.
  if (path !== undefined) await (await openOutput(path)).close();
  const table = await EventsTable.create();
  return {
    async write(events: readonly StoredEvent[]) {
      table.append(events);
    },
    async finish() {
      try {
        if (path !== undefined) {
          await table.copyTo(path, format);
          return;
        }
        const directory = await mkdtemp(join(tmpdir(), 'billing-events-'));
        try {
          const file = join(directory, `events.${format}`);
          await table.copyTo(file, format);
          await pipeline(createReadStream(file), process.stdout, { end: false });
        } finally {
          await rm(directory, { recursive: true, force: true });
        }
      } finally {
        table.close();
      }
    },
  };
}
