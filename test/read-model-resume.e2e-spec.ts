import { SQLITE_FILE } from '@app/event-store';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { scheduleBody, startTestApp, type TestApp } from './support/test-app';

describe('embedded read models resume from their checkpoint at start', () => {
  let first: TestApp;
  let second: TestApp | undefined;
  afterAll(async () => {
    await second?.destroy();
    await first.destroy();
  });

  it('applies only the events past the checkpoint, not the whole history again', async () => {
    first = await startTestApp();
    const create = async (t: TestApp) =>
      (await t.http().post('/v0/billingSchedules').set(t.auth()).send(scheduleBody())).body
        .id as string;
    const kept = await create(first);
    const removed = await create(first);
    const replayed = await create(first);
    await first.close();

    // Between runs: one schedule's row is gone, and the checkpoint is one event back, before the
    // last schedule's only event, whose row is gone too.
    const db = new Database(join(first.dataDir, SQLITE_FILE));
    try {
      const checkpoint = db
        .prepare<[], number>(
          `SELECT position FROM read_model_checkpoints WHERE read_model = 'billing_schedules'`,
        )
        .pluck()
        .get()!;
      db.prepare(`DELETE FROM billing_schedules WHERE id IN (?, ?)`).run(removed, replayed);
      db.prepare(
        `UPDATE read_model_checkpoints SET position = ? WHERE read_model = 'billing_schedules'`,
      ).run(checkpoint - 1);
    } finally {
      db.close();
    }

    second = await startTestApp({ dataDir: first.dataDir });
    const status = async (id: string) =>
      (await second!.http().get(`/v0/billingSchedules/${id}`).set(second!.auth())).status;
    // A start that replayed everything would have brought `removed` back.
    expect(await status(kept)).toBe(200);
    expect(await status(removed)).toBe(404);
    expect(await status(replayed)).toBe(200);
  });
});
