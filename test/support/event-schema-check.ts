import { z } from 'zod';
import { eventSchemaOf, upcastEvent } from '@app/domain';
import {
  openSqliteDatabase,
  SqliteEventStore,
  UpcastingEventStore,
  type StoredEvent,
} from '@app/event-store';
import { envelopeSchemaOf, toEnvelope } from '@app/messaging';

/**
 * What is wrong with a stored event as it is read (upcast) and published: no documented schema
 * for its (type, schemaVersion), a superseded version, or an envelope its schema refuses.
 * Undefined when it matches.
 */
export function eventSchemaProblem(event: StoredEvent): string | undefined {
  const label = `${event.type} v${event.schemaVersion} (${event.streamId} @${event.version})`;
  const documented = eventSchemaOf(event.type, event.schemaVersion);
  if (!documented) return `${label}: no schema documents this type and version`;
  if (!documented.current) return `${label}: read as a superseded version (not upcast)`;
  const result = envelopeSchemaOf(event.type, event.schemaVersion)!.safeParse(toEnvelope(event));
  return result.success ? undefined : `${label}: ${z.prettifyError(result.error)}`;
}

/**
 * Every event an app stored in `dataDir`, read back as the app reads it (through the
 * upcasters), against the schema that documents it (the AsyncAPI one). Run after the app has
 * closed and released DATA_DIR, so it sees exactly what was persisted.
 */
export async function assertStoredEventsMatchSchemas(dataDir: string): Promise<number> {
  const db = openSqliteDatabase(dataDir, { readonly: true });
  const store = new UpcastingEventStore(new SqliteEventStore(db), upcastEvent);
  const events = await store.readAll().finally(() => store.close().finally(() => db.close()));
  const problems = events.map(eventSchemaProblem).filter((p) => p !== undefined);
  if (problems.length > 0) {
    throw new Error(
      `${problems.length} stored event(s) do not match their documented schema:\n` +
        problems.slice(0, 10).join('\n'),
    );
  }
  return events.length;
}
