import { Command, CommandRunner, Help } from 'nest-commander';
import { CliError } from '../cli-error';
import { walkHistory } from '../history';
import { Interruption, INTERRUPTED_EXIT_CODE } from '../interruption';
import { CONFIG_HELP, DEFAULT_BATCH_SIZE } from '../options';
import { Progress } from '../progress';
import { MongoReadModelsRebuild } from '../rebuild/mongo-read-models-rebuild';
import { StoreAccess } from '../store-access';

@Command({
  name: 'rebuild',
  description:
    'Rebuild every read model from the event store into fresh collections, then switch them in',
})
export class RebuildCommand extends CommandRunner {
  constructor(
    private readonly access: StoreAccess,
    private readonly interruption: Interruption,
  ) {
    super();
  }

  @Help('after')
  examples(): string {
    return `
The service keeps serving the live read models during the rebuild; each is then replaced by
renaming the fresh collection over it. Running services address collections by name, so they
read the rebuilt ones at once: no restart is needed. Ctrl-C before the switch drops the fresh
collections and leaves the live ones untouched.

Examples:
  $ billing-events rebuild          # with MONGODB_URI and MONGODB_DB set as for the service
${CONFIG_HELP}`;
  }

  async run(): Promise<void> {
    const db = await this.access.mongoDb();
    if (db === null) {
      // INTEGRATION: the SQLite read models' rebuild-and-switch goes here.
      throw new CliError(
        'rebuild of the embedded read models is not available yet: restart the API, which catches its read models up from the log',
      );
    }
    const store = await this.access.store();
    const head = await store.headPosition();
    const rebuild = new MongoReadModelsRebuild(db);
    await rebuild.start();
    const progress = new Progress('rebuild', 0, head, 'applied');
    const startedAt = Date.now();
    let outcome;
    try {
      outcome = await walkHistory({
        store,
        filter: {},
        after: 0,
        batchSize: DEFAULT_BATCH_SIZE,
        interruption: this.interruption,
        progress,
        handle: (events) => rebuild.apply(events),
      });
    } catch (error) {
      progress.abort();
      await rebuild.abandon();
      throw error;
    }
    progress.stop();
    if (outcome.interrupted) {
      await rebuild.abandon();
      process.stderr.write(
        'interrupted: the fresh collections were dropped; the live read models are unchanged\n',
      );
      process.exitCode = INTERRUPTED_EXIT_CODE;
      return;
    }
    const seconds = (Date.now() - startedAt) / 1000;
    const switched = await rebuild.switchIn(store, outcome.cursor);
    const rate = Math.round(outcome.handled / Math.max(seconds, 0.001));
    process.stdout.write(
      `rebuilt ${switched.map((s) => `${s.collection} (${s.documents} documents, ${s.how})`).join(', ')} ` +
        `from ${outcome.handled} events in ${seconds.toFixed(1)}s (${rate} events/s); ` +
        'running services read the new collections without a restart\n',
    );
  }
}
