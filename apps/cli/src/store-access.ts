import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { existsSync } from 'node:fs';
import { MongoClient, type Db } from 'mongodb';
import { upcastEvent } from '@app/domain';
import { join } from 'node:path';
import {
  MongoEventStore,
  openForTool,
  openSqliteDatabase,
  SQLITE_FILE,
  UpcastingEventStore,
  type EventStore,
  type SqliteDatabase,
  type ToolDatabase,
} from '@app/event-store';
import { MongoCheckpointStore, SqliteCheckpointStore, type CheckpointStore } from '@app/messaging';
import { loadConfig, type AppConfig } from '../../api/src/config/app-config';
import { CliError, oneLine } from './cli-error';

/**
 * The service's own configuration and stores, opened on first use: `--help` and bad arguments
 * never touch a backend, and a backend that is down becomes a one-line error of the command
 * that needed it. Nothing here starts the HTTP server, the outbox relay or a scheduler.
 */
@Injectable()
export class StoreAccess implements OnApplicationShutdown {
  private loaded?: AppConfig;
  private mongo?: Promise<MongoClient>;
  private eventStore?: Promise<EventStore>;
  private embedded?: ToolDatabase;
  private writable?: SqliteDatabase;

  get config(): AppConfig {
    // The tool serves no HTTP, so it needs no API keys (loadConfig insists on them for the API).
    this.loaded ??= wrap('configuration', () =>
      loadConfig({ ...process.env, API_KEYS: process.env.API_KEYS || 'unused=unused' }),
    );
    return this.loaded;
  }

  get isMongo(): boolean {
    return this.config.mongodbUri !== undefined;
  }

  /** The store behind the upcasters, exactly as the API reads it (GET /v0/events). */
  store(): Promise<EventStore> {
    this.eventStore ??= this.openStore();
    return this.eventStore;
  }

  /** The MongoDB database, or null in embedded mode. */
  async mongoDb(): Promise<Db | null> {
    const uri = this.config.mongodbUri;
    if (uri === undefined) return null;
    this.mongo ??= MongoClient.connect(uri, { serverSelectionTimeoutMS: 5_000 }).catch(
      (error: unknown) => {
        throw new CliError(`cannot reach MongoDB at ${redact(uri)}: ${oneLine(error)}`);
      },
    );
    return (await this.mongo).db(this.config.mongodbDb);
  }

  /** Where the outbox relay records how far it published. */
  async relayCheckpoints(): Promise<CheckpointStore> {
    const db = await this.mongoDb();
    if (db) return new MongoCheckpointStore(db);
    await this.store();
    return new SqliteCheckpointStore(this.embedded!.db);
  }

  /**
   * A writable connection of the tool's own to the embedded database (for `rebuild`, which
   * writes tables of its own and switches them in). Never the service's lock.
   */
  async embeddedWritable(): Promise<SqliteDatabase> {
    await this.store(); // the same checks: DATA_DIR holds a database
    this.writable ??= openSqliteDatabase(this.config.dataDir);
    return this.writable;
  }

  async onApplicationShutdown(): Promise<void> {
    const store = await this.eventStore?.catch(() => undefined);
    await store?.close().catch(() => undefined);
    await this.embedded?.close().catch(() => undefined);
    this.writable?.close();
    const mongo = await this.mongo?.catch(() => undefined);
    await mongo?.close().catch(() => undefined);
  }

  private async openStore(): Promise<EventStore> {
    const db = await this.mongoDb();
    if (db) {
      const inner = await MongoEventStore.open(db).catch((error: unknown) => {
        throw new CliError(`cannot open the event store in MongoDB: ${oneLine(error)}`);
      });
      return new UpcastingEventStore(inner, upcastEvent);
    }
    const { dataDir } = this.config;
    if (!existsSync(join(dataDir, SQLITE_FILE))) {
      throw new CliError(
        `no event store at DATA_DIR ${dataDir} (no ${SQLITE_FILE}: has the service run there?)`,
      );
    }
    // Read-only and without the service's DATA_DIR lock: the tool reads beside a running API.
    try {
      this.embedded = openForTool(dataDir, { readonly: true });
    } catch (error) {
      throw new CliError(`cannot open the event store in ${dataDir}: ${oneLine(error)}`);
    }
    return new UpcastingEventStore(this.embedded.events, upcastEvent);
  }
}

function wrap<T>(what: string, load: () => T): T {
  try {
    return load();
  } catch (error) {
    throw new CliError(`invalid ${what}: ${oneLine(error)}`);
  }
}

/** A MongoDB URI without its password, for error messages. */
export function redact(uri: string): string {
  return uri.replace(/\/\/([^@/]*)@/, (_, credentials: string) =>
    credentials.includes(':') ? `//${credentials.split(':')[0]}:***@` : `//${credentials}@`,
  );
}
