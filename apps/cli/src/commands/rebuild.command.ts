import { Command, CommandRunner, Help } from 'nest-commander';
import { rebuildMongoReadModels, rebuildSqliteReadModels } from '@app/read-models';
import { CONFIG_HELP } from '../options';
import { Progress } from '../progress';
import { StoreAccess } from '../store-access';

@Command({
  name: 'rebuild',
  description:
    'Rebuild every read model from the event store into fresh tables or collections, then switch them in',
})
export class RebuildCommand extends CommandRunner {
  constructor(private readonly access: StoreAccess) {
    super();
  }

  @Help('after')
  examples(): string {
    return `
The service keeps serving the live read models during the rebuild; the fresh ones then replace
them (embedded: renamed in one SQLite transaction; MongoDB: renameCollection per collection).
Running services read the rebuilt ones without a restart. Ctrl-C twice stops at once; fresh
tables left behind are dropped by the next rebuild.

Examples:
  $ billing-events rebuild                      # the embedded store under DATA_DIR
  $ billing-events rebuild                      # with MONGODB_URI and MONGODB_DB set as for the service
${CONFIG_HELP}`;
  }

  async run(): Promise<void> {
    const store = await this.access.store();
    const db = await this.access.mongoDb();
    const head = await store.headPosition();
    const progress = new Progress('rebuild', 0, head, 'applied');
    const onProgress = ({ events, position }: { events: number; position: number }) =>
      progress.update(position, events);
    const startedAt = Date.now();
    let result: { events: number; position: number };
    try {
      result = db
        ? await rebuildMongoReadModels({ db, store, onProgress })
        : await rebuildSqliteReadModels({
            db: await this.access.embeddedWritable(),
            store,
            onProgress,
          });
    } catch (error) {
      progress.abort();
      throw error;
    }
    progress.stop();
    const seconds = (Date.now() - startedAt) / 1000;
    const rate = Math.round(result.events / Math.max(seconds, 0.001));
    process.stdout.write(
      `rebuilt the read models ${db ? 'in MongoDB' : 'in the embedded database'} from ` +
        `${result.events} events up to position ${result.position} in ${seconds.toFixed(1)}s ` +
        `(${rate} events/s) and switched them in; running services read them without a restart\n`,
    );
  }
}
