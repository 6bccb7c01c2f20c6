import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedDatabase } from '@app/event-store';
import { ROOT } from './support/service-process';

/**
 * Issue 9: the embedded store in its own process, 50 appenders group-committing, SIGKILLed
 * while appends are queued and committing. Every append acknowledged before the kill is
 * stored after it; no append is half-stored (streams and positions gap-free); the restart
 * takes the dead process's DATA_DIR lock over.
 */
describe('SIGKILL of a process group-committing appends to the SQLite store', () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'sqlite-store-crash-'));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('keeps every acknowledged append and nothing half-written', async () => {
    const child = spawn(
      process.execPath,
      [
        '-r',
        '@swc-node/register',
        '-r',
        'tsconfig-paths/register',
        join(ROOT, 'test/support/sqlite-appender-process.ts'),
        dataDir,
      ],
      {
        cwd: ROOT,
        env: { ...process.env, TS_NODE_PROJECT: join(ROOT, 'tsconfig.json') },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const exited = once(child, 'exit');
    /** The highest version acknowledged per stream. */
    const acked = new Map<string, number>();
    let acks = 0;
    let errors = '';
    let pending = '';
    child.stderr.on('data', (chunk) => (errors += chunk));
    const enough = new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        const lines = (pending + chunk.toString('utf8')).split('\n');
        pending = lines.pop()!;
        for (const line of lines) {
          const [word, streamId, version] = line.split(' ');
          if (word !== 'ack') continue;
          acks += 1;
          acked.set(streamId, Math.max(acked.get(streamId) ?? 0, Number(version)));
        }
        if (acks >= 2_000) resolve();
      });
      void exited.then(() => reject(new Error(`the appender exited early:\n${errors}`)));
    });
    await enough;
    child.kill('SIGKILL');
    await exited.catch(() => undefined);
    process.stdout.write(`[sqlite-store-crash] killed after ${acks} acknowledged appends\n`);

    const restarted = await EmbeddedDatabase.open(dataDir);
    try {
      const streams = restarted.db
        .prepare(
          `SELECT stream_id AS streamId, count(*) AS events, min(version) AS first,
             max(version) AS last FROM events GROUP BY stream_id`,
        )
        .all() as { streamId: string; events: number; first: number; last: number }[];
      expect(streams.filter((s) => s.first !== 1 || s.last !== s.events)).toEqual([]);
      const stored = new Map(streams.map((s) => [s.streamId, s.last]));
      const lost = [...acked].filter(([stream, version]) => (stored.get(stream) ?? 0) < version);
      expect(lost).toEqual([]);
      const { count, head } = restarted.db
        .prepare('SELECT count(*) AS count, max(position) AS head FROM events')
        .get() as { count: number; head: number };
      expect(head).toBe(count);
      // Own streams take appends of 1, 2, 3, 1, 2, 3… events: every stored length must be a
      // sum of whole appends, or an append was half-stored.
      const wholeAppends = (length: number) => {
        let sum = 0;
        for (let round = 0; sum < length; round += 1) sum += 1 + (round % 3);
        return sum === length;
      };
      const own = streams.filter((s) => s.streamId.startsWith('own-'));
      expect(own.length).toBeGreaterThan(0);
      expect(own.filter((s) => !wholeAppends(s.events))).toEqual([]);
    } finally {
      await restarted.close();
    }
  }, 120_000);
});
