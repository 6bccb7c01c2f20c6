import { Command, CommandRunner, Help, Option } from 'nest-commander';
import { OUTBOX_RELAY_LEASE } from '@app/messaging';
import { consumerLag } from '../../../projector/src/consumer-lag';
import { loadProjectorConfig } from '../../../projector/src/projector-config';
import { CliError, oneLine } from '../cli-error';
import { walkHistory } from '../history';
import { Interruption, INTERRUPTED_EXIT_CODE } from '../interruption';
import { connect, kafkaClient } from '../kafka';
import { CONFIG_HELP, DEFAULT_BATCH_SIZE, oneOf } from '../options';
import { renderTable } from '../output-format';
import { Progress } from '../progress';
import { StoreAccess } from '../store-access';

/** A lag, or why it does not apply to this configuration. */
type Lag = { events: number; detail: string } | { notApplicable: string };

export interface Stats {
  events: number;
  streams: number;
  firstRecordedAt: string | null;
  lastRecordedAt: string | null;
  firstOccurredAt: string | null;
  lastOccurredAt: string | null;
  byType: Record<string, number>;
  byTenant: Record<string, number>;
  relayLag: Lag;
  projectorLag: Lag;
}

@Command({
  name: 'stats',
  description:
    'Event counts by type and tenant, streams, first/last event time, relay and projector lag',
})
export class StatsCommand extends CommandRunner {
  constructor(
    private readonly access: StoreAccess,
    private readonly interruption: Interruption,
  ) {
    super();
  }

  @Option({
    flags: '--format <format>',
    description: 'text or json',
    choices: ['text', 'json'],
    defaultValue: 'text',
  })
  parseFormat(value: string): string {
    return oneOf('--format', ['text', 'json'])(value);
  }

  @Help('after')
  examples(): string {
    return `
The relay's lag is how many committed events it has not published yet (n/a without
KAFKA_BROKERS); the projector's is how many messages of KAFKA_TOPIC its consumer group
(PROJECTOR_GROUP_ID, default billing-projector) has not committed (n/a without MONGODB_URI
and KAFKA_BROKERS).

Examples:
  $ billing-events stats
  $ MONGODB_URI=mongodb://db:27017 KAFKA_BROKERS=kafka:9092 billing-events stats --format json
${CONFIG_HELP}`;
  }

  async run(_params: string[], options: { format?: 'text' | 'json' }): Promise<void> {
    const stats = await this.collect();
    if (stats === null) {
      process.stderr.write('interrupted: no statistics\n');
      process.exitCode = INTERRUPTED_EXIT_CODE;
      return;
    }
    process.stdout.write(
      options.format === 'json' ? `${JSON.stringify(stats, null, 2)}\n` : renderStats(stats),
    );
  }

  private async collect(): Promise<Stats | null> {
    const store = await this.access.store();
    const head = await store.headPosition();
    const byType = new Map<string, number>();
    const byTenant = new Map<string, number>();
    const streams = new Set<string>();
    let minOccurred: string | null = null;
    let maxOccurred: string | null = null;
    let first: string | null = null;
    let last: string | null = null;
    let events = 0;
    const progress = new Progress('stats', 0, head, 'counted');
    const outcome = await walkHistory({
      store,
      filter: {},
      after: 0,
      batchSize: DEFAULT_BATCH_SIZE,
      interruption: this.interruption,
      progress,
      handle: async (batch) => {
        for (const event of batch) {
          events += 1;
          byType.set(event.type, (byType.get(event.type) ?? 0) + 1);
          byTenant.set(event.tenantId, (byTenant.get(event.tenantId) ?? 0) + 1);
          streams.add(event.streamId);
          first ??= event.recordedAt;
          last = event.recordedAt;
          if (minOccurred === null || Date.parse(event.occurredAt) < Date.parse(minOccurred)) {
            minOccurred = event.occurredAt;
          }
          if (maxOccurred === null || Date.parse(event.occurredAt) > Date.parse(maxOccurred)) {
            maxOccurred = event.occurredAt;
          }
        }
      },
    }).catch((error: unknown) => {
      progress.abort();
      throw error;
    });
    progress.stop();
    if (outcome.interrupted) return null;
    return {
      events,
      streams: streams.size,
      firstRecordedAt: first,
      lastRecordedAt: last,
      firstOccurredAt: minOccurred,
      lastOccurredAt: maxOccurred,
      byType: sortedByCount(byType),
      byTenant: sortedByCount(byTenant),
      relayLag: await this.relayLag(head),
      projectorLag: await this.projectorLag(),
    };
  }

  private async relayLag(head: number): Promise<Lag> {
    if (this.access.config.kafkaBrokers === undefined) {
      return { notApplicable: 'no relay without KAFKA_BROKERS' };
    }
    const checkpoint = await (await this.access.relayCheckpoints()).get(OUTBOX_RELAY_LEASE);
    return {
      events: Math.max(head - checkpoint, 0),
      detail: `published up to position ${checkpoint} of ${head}`,
    };
  }

  private async projectorLag(): Promise<Lag> {
    const { mongodbUri, kafkaBrokers } = this.access.config;
    if (mongodbUri === undefined || kafkaBrokers === undefined) {
      return { notApplicable: 'no projector without MONGODB_URI and KAFKA_BROKERS' };
    }
    const { groupId, kafkaTopic } = loadProjectorConfig(process.env);
    const admin = kafkaClient(kafkaBrokers, 'billing-events-stats').admin();
    await connect(admin, kafkaBrokers);
    try {
      if (!(await admin.listTopics()).includes(kafkaTopic)) {
        return { notApplicable: `topic ${kafkaTopic} does not exist yet` };
      }
      const offsets = await admin.fetchTopicOffsets(kafkaTopic);
      const [committed] = await admin.fetchOffsets({ groupId, topics: [kafkaTopic] });
      const lag = consumerLag(offsets, committed?.partitions ?? []);
      const total = [...lag.values()].reduce((sum, value) => sum + value, 0);
      return {
        events: total,
        detail: `messages of ${kafkaTopic} not committed by group ${groupId}`,
      };
    } catch (error) {
      throw new CliError(`cannot read the projector's offsets from Kafka: ${oneLine(error)}`);
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }
}

function sortedByCount(counts: Map<string, number>): Record<string, number> {
  return Object.fromEntries([...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])));
}

function renderStats(stats: Stats): string {
  const lag = (value: Lag) =>
    'notApplicable' in value ? `n/a (${value.notApplicable})` : `${value.events} (${value.detail})`;
  const summary = renderTable(
    ['statistic', 'value'],
    [
      ['events', String(stats.events)],
      ['streams', String(stats.streams)],
      ['tenants', String(Object.keys(stats.byTenant).length)],
      ['first recorded', stats.firstRecordedAt ?? 'n/a'],
      ['last recorded', stats.lastRecordedAt ?? 'n/a'],
      ['earliest occurredAt', stats.firstOccurredAt ?? 'n/a'],
      ['latest occurredAt', stats.lastOccurredAt ?? 'n/a'],
      ['relay lag (events)', lag(stats.relayLag)],
      ['projector lag (messages)', lag(stats.projectorLag)],
    ],
  );
  const counts = (title: string, values: Record<string, number>) =>
    renderTable([title, 'events'], Object.entries(values));
  return [summary, counts('type', stats.byType), counts('tenant', stats.byTenant)].join('\n');
}
