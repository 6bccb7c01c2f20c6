import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { existsSync } from 'node:fs';
import { MongoClient, type Db } from 'mongodb';
import { upcastEvent } from '@app/domain';
import {
  DataDirLockedError,
  FileEventStore,
  MongoEventStore,
  UpcastingEventStore,
  type EventStore,
} from '@app/event-store';
import { FileCheckpointStore, MongoCheckpointStore, type CheckpointStore } from '@app/messaging';
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
    return db ? new MongoCheckpointStore(db) : new FileCheckpointStore(this.config.dataDir);
  }

  async onApplicationShutdown(): Promise<void> {
    const store = await this.eventStore?.catch(() => undefined);
    await store?.close().catch(() => undefined);
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
    if (!existsSync(dataDir)) {
      throw new CliError(`no event store at DATA_DIR ${dataDir} (the directory does not exist)`);
    }
    // INTEGRATION: once the SQLite store lands, open it read-only beside the running API
    // instead of taking the DATA_DIR lock (which makes the tool wait for the API to stop).
    const inner = await FileEventStore.open(dataDir).catch((error: unknown) => {
      if (error instanceof DataDirLockedError) throw new CliError(error.message);
      throw new CliError(`cannot open the event store in ${dataDir}: ${oneLine(error)}`);
    });
    return new UpcastingEventStore(inner, upcastEvent);
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
