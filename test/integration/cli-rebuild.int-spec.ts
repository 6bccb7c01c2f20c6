import { MongoClient, type Db } from 'mongodb';
import { v7 as uuidv7 } from 'uuid';
import { MongoEventStore, type StoredEvent } from '@app/event-store';
import {
  ACCOUNT_SCHEDULES_COLLECTION,
  BILLING_PERIOD_CHUNKS_COLLECTION,
  BILLING_PERIOD_HEADS_COLLECTION,
  BILLING_SCHEDULES_COLLECTION,
} from '@app/read-models';
import { newId } from '../../apps/api/src/infrastructure/ids';
import { lines, recordActivity, runCli, TENANT_A } from '../cli/support/cli';
import { dropDatabase, MONGODB_URI, uniqueName } from './support/infra';
import { startProductionApp } from './support/production';

/**
 * Issue 10: `billing-events rebuild` in MongoDB while the API serves reads. CI runs 10,000
 * events (about 1.5 minutes on FerretDB). CLI_REBUILD_EVENTS=100000 runs the size: on
 * FerretDB, where every query scans its collection, that takes about 20 minutes: seeding 6,
 * the API's catch-up 3.6, the rebuild 14, beside a client reading without pause and the relay
 * publishing the same 100,000 events (the rebuild alone: about 4).
 */
const EVENTS = Number(process.env.CLI_REBUILD_EVENTS ?? 10_000);
/** Each schedule's metadata PATCH is repeated this often, so 100,000 events take few commits. */
const REPEATED_UPDATES = 40;

describe(`billing-events rebuild (MongoDB, ${EVENTS} events)`, () => {
  const db = uniqueName('cli_rebuild');
  const topic = uniqueName('cli-rebuild');
  let mongo: MongoClient;

  beforeAll(async () => {
    mongo = await MongoClient.connect(MONGODB_URI);
  });
  afterAll(async () => {
    await mongo?.close();
    await dropDatabase(db);
  });

  it('rebuilt read models equal the live ones, and a client reading meanwhile sees no error', async () => {
    // Real history through the API, then cloned stream by stream through the store API.
    const recorder = await startProductionApp(db, topic);
    await recordActivity(recorder, ['alpha', 'bravo', 'charlie', 'delta']);
    const schedules = await recorder
      .http()
      .get('/v0/billingSchedules')
      .set(recorder.auth())
      .expect(200);
    await recorder.close();
    const store = await MongoEventStore.open(mongo.db(db));
    const template = inflate(await store.readAll());
    await appendClones(store, template, Math.ceil(EVENTS / template.length));
    const head = await store.headPosition();
    expect(head).toBeGreaterThanOrEqual(EVENTS);

    // The API brings its read models up to date at start: these are the live ones.
    const started = Date.now();
    const app = await startProductionApp(db, topic);
    process.stderr.write(
      `[cli-rebuild] API caught ${head} events up in ${Date.now() - started} ms\n`,
    );
    try {
      const live = await snapshot(mongo.db(db));
      expect(live.schedules.length).toBeGreaterThan(EVENTS / 100);
      expect(live.periodHeads.length).toBe(live.schedules.length);
      expect(live.periodChunks.length).toBeGreaterThanOrEqual(live.schedules.length);

      const scheduleId = schedules.body.data[0].id as string;
      const failures: string[] = [];
      let reads = 0;
      let reading = true;
      const reader = (async () => {
        while (reading) {
          for (const path of [
            `/v0/billingSchedules/${scheduleId}`,
            `/v0/billingSchedules/${scheduleId}/periods?limit=5`,
            '/v0/billingSchedules?limit=5',
          ]) {
            const res = await app.http().get(path).set(app.auth(TENANT_A.key));
            reads += 1;
            if (res.status !== 200) failures.push(`${path}: ${res.status}`);
          }
        }
      })();
      const run = await runCli(['rebuild'], { MONGODB_URI, MONGODB_DB: db });
      reading = false;
      await reader;

      expect(run.code).toBe(0);
      expect(lines(run.stderr).at(-1)).toMatch(/^rebuild: read (\d+)\/\1 /);
      expect(run.stdout).toMatch(
        new RegExp(`^rebuilt the read models in MongoDB from ${head} events .* events/s\\)`),
      );
      process.stderr.write(
        `[cli-rebuild] ${run.stdout.trim()}\n[cli-rebuild] ${reads} reads during the rebuild, ${failures.length} failed\n`,
      );
      expect(reads).toBeGreaterThan(0);
      expect(failures).toEqual([]);
      expect(await snapshot(mongo.db(db))).toEqual(live);
      const collections = (await mongo.db(db).listCollections().toArray()).map((c) => c.name);
      expect(collections.filter((name) => /_rebuild_|_retired_/.test(name))).toEqual([]);
    } finally {
      await app.close();
    }
  }, 1_800_000);
});

async function snapshot(db: Db) {
  const all = (name: string) =>
    db.collection<{ _id: string }>(name).find().sort({ _id: 1 }).toArray();
  return {
    schedules: await all(BILLING_SCHEDULES_COLLECTION),
    accounts: await all(ACCOUNT_SCHEDULES_COLLECTION),
    periodHeads: await all(BILLING_PERIOD_HEADS_COLLECTION),
    periodChunks: await all(BILLING_PERIOD_CHUNKS_COLLECTION),
  };
}

/** `copies` copies of every stream of `template`, under fresh schedule/account ids and event ids. */
async function appendClones(store: MongoEventStore, template: StoredEvent[], copies: number) {
  const streams = new Map<string, StoredEvent[]>();
  for (const event of template)
    streams.set(event.streamId, [...(streams.get(event.streamId) ?? []), event]);
  // One at a time: concurrent appends through one store instance race for positions.
  for (let copy = 1; copy <= copies; copy++) {
    for (const events of streams.values()) {
      const [first] = events;
      const isAccount = first.streamType !== 'billing_schedule';
      const data = first.data as { accountId?: string; scheduleId?: string };
      const oldKey = (isAccount ? data.accountId : data.scheduleId)!;
      const newKey = isAccount ? `${oldKey}_${copy}` : newId('bs');
      const rename = <T>(value: T): T =>
        JSON.parse(JSON.stringify(value).split(oldKey).join(newKey));
      await store.append({
        streamId: rename(first.streamId),
        streamType: first.streamType,
        tenantId: first.tenantId,
        expectedVersion: 0,
        events: events.map((event) => ({
          id: uuidv7(),
          type: event.type,
          schemaVersion: event.schemaVersion,
          occurredAt: event.occurredAt,
          data: rename(event.data),
          metadata: event.metadata,
        })),
      });
    }
  }
}

/** The template with every BillingScheduleUpdated repeated (each repeat sets the same fields). */
function inflate(template: StoredEvent[]): StoredEvent[] {
  return template.flatMap((event) =>
    event.type === 'BillingScheduleUpdated' ? Array(REPEATED_UPDATES).fill(event) : [event],
  );
}
