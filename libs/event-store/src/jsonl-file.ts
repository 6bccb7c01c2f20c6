/** Reading the JSON-lines files of the embedded store before SQLite (only the migration reads them now). */
import { createReadStream } from 'node:fs';

/** Receives warnings such as "dropped a torn last line"; Nest's `logger.warn.bind(logger)` fits. */
export type Logger = (message: string) => void;

/**
 * Yields the records of a JSON-lines file in order, streaming (never the whole file in memory).
 * A bad last line is a torn append (the process died mid-write, so it was never acknowledged):
 * it is skipped and logged. A bad line followed by more data is corruption and throws.
 */
export async function* readJsonLines(path: string, logger?: Logger): AsyncGenerator<unknown> {
  let pending: Buffer = Buffer.alloc(0);
  let offset = 0;
  let badLineAt: number | undefined;
  const corrupt = (at: number) =>
    new Error(`${path}: unreadable line at byte ${at} followed by more data; refusing to open`);
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    const buffer = pending.length > 0 ? Buffer.concat([pending, chunk]) : chunk;
    let start = 0;
    for (
      let newline = buffer.indexOf(0x0a);
      newline !== -1;
      newline = buffer.indexOf(0x0a, start)
    ) {
      if (badLineAt !== undefined) throw corrupt(badLineAt);
      const record = parseJson(buffer.subarray(start, newline).toString('utf8'));
      if (record === undefined) badLineAt = offset + start;
      else yield record;
      start = newline + 1;
    }
    offset += start;
    pending = buffer.subarray(start);
  }
  if (badLineAt !== undefined && pending.length > 0) throw corrupt(badLineAt);
  const tornAt = badLineAt ?? (pending.length > 0 ? offset : undefined);
  if (tornAt !== undefined) {
    logger?.(`${path}: dropped a torn last line (at byte ${tornAt})`);
  }
}

function parseJson(text: string): unknown {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? value : undefined;
  } catch {
    return undefined;
  }
}
