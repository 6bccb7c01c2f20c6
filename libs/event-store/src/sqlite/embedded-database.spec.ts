import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { DataDirLockedError } from '../data-dir-lock';
import { EmbeddedDatabase, openForTool } from './embedded-database';
import { SqliteEventStore } from './sqlite-event-store';

describe('a tool beside the running service', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sqlite-tool-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('opens the database without the DATA_DIR lock and reads what the service committed', async () => {
    const service = await EmbeddedDatabase.open(dir);
    const store = new SqliteEventStore(service.db);
    const tool = openForTool(dir, { readonly: true });
    try {
      const { events } = await store.append({
        streamId: 's-1',
        streamType: 'test_stream',
        tenantId: 't',
        expectedVersion: 0,
        events: [
          {
            id: uuidv7(),
            type: 'TestEvent',
            schemaVersion: 1,
            occurredAt: '2025-01-01T00:00:00.000Z',
            data: {},
            metadata: { correlationId: 'c', causationId: 'c' },
          },
        ],
      });

      expect(await tool.events.readAll()).toEqual(events);
      // SqliteError comes from the native module (another realm than Jest's Error): compare messages.
      const refused = await tool.events
        .append({ ...events[0], expectedVersion: 1, events: [{ ...events[0], id: uuidv7() }] })
        .then(
          () => 'stored',
          (err: Error) => err.message,
        );
      expect(refused).toMatch(/readonly/);
      expect(await tool.events.readAll()).toEqual(events);
      await expect(EmbeddedDatabase.open(dir)).rejects.toBeInstanceOf(DataDirLockedError);
    } finally {
      await tool.close();
      await store.close();
      await service.close();
    }
  });
});
