/**
 * A child process for test/sqlite-store-crash.e2e-spec.ts: appends to the embedded store of
 * DATA_DIR (argv[2]) from 50 concurrent appenders until it is killed, and prints
 * `ack <streamId> <version>` for every append once its promise resolved (= committed).
 */
import { v7 as uuidv7 } from 'uuid';
import { EmbeddedDatabase, SqliteEventStore, VersionConflictError } from '@app/event-store';

const APPENDERS = 50;

void (async () => {
  const embedded = await EmbeddedDatabase.open(process.argv[2]);
  const store = new SqliteEventStore(embedded.db);
  const event = (n: number) => ({
    id: uuidv7(),
    type: 'TestEvent',
    schemaVersion: 1,
    occurredAt: new Date().toISOString(),
    data: { n },
    metadata: { correlationId: uuidv7(), causationId: uuidv7() },
  });
  const append = async (streamId: string, expectedVersion: number, count: number) => {
    const result = await store.append({
      streamId,
      streamType: 'test_stream',
      tenantId: 'tenant-1',
      expectedVersion,
      events: Array.from({ length: count }, (_, i) => event(i)),
    });
    process.stdout.write(`ack ${streamId} ${result.version}\n`);
    return result.version;
  };
  let shared = 0;
  process.stdout.write('ready\n');
  await Promise.all(
    Array.from({ length: APPENDERS }, async (_, a) => {
      let version = 0;
      for (let round = 0; ; round += 1) {
        version = await append(`own-${a}`, version, 1 + (round % 3));
        // Every appender also contends for one stream: conflicts inside the same batch.
        try {
          shared = await append('shared', shared, 1);
        } catch (err) {
          if (!(err instanceof VersionConflictError)) throw err;
          shared = err.actualVersion;
        }
      }
    }),
  );
})();
