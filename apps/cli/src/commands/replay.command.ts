import { Command, Help, Option } from 'nest-commander';
import { ensureEventTopic, toKafkaMessage } from '@app/messaging';
import { CliError, badArgument, oneLine } from '../cli-error';
import { formatCursor } from '../history';
import { Interruption, INTERRUPTED_EXIT_CODE } from '../interruption';
import { connect, kafkaClient, orderedProducer } from '../kafka';
import { CONFIG_HELP, nonEmpty, type HistoryOptions } from '../options';
import { StoreAccess } from '../store-access';
import { HistoryCommand } from './history-command';

interface ReplayOptions extends HistoryOptions {
  toTopic?: string;
}

@Command({
  name: 'replay',
  description:
    'Re-publish history to a Kafka topic with the original key, envelope and headers, in per-stream order',
})
export class ReplayCommand extends HistoryCommand {
  constructor(access: StoreAccess, interruption: Interruption) {
    super(access, interruption);
  }

  @Option({
    flags: '--to-topic <name>',
    description: 'the topic to publish to (created like the event topic if missing)',
    required: true,
  })
  parseToTopic(value: string): string {
    return nonEmpty('--to-topic')(value);
  }

  @Help('after')
  examples(): string {
    return `
Messages are exactly what the outbox relay publishes: key = stream id, value = the envelope,
CloudEvents headers. Streams keep their order (one key, one partition, one request in flight).

Examples:
  $ billing-events replay --to-topic schedule-events-replay
  $ billing-events replay --to-topic backfill --tenant merchant_a --rate 500
  $ billing-events replay --to-topic backfill --after ZmVlZDo0Mg     # resume an interrupted replay
${CONFIG_HELP}`;
  }

  async run(_params: string[], options: ReplayOptions): Promise<void> {
    const topic = options.toTopic!;
    const { kafkaBrokers, kafkaTopic, kafkaTopicSettings } = this.access.config;
    if (kafkaBrokers === undefined) throw badArgument('replay needs KAFKA_BROKERS');
    if (topic === kafkaTopic) {
      throw badArgument(
        `--to-topic ${topic} is the service's live topic (KAFKA_TOPIC); replay into another topic`,
      );
    }
    await this.access.store(); // an unreachable store fails before the broker is touched
    const kafka = kafkaClient(kafkaBrokers, 'billing-events-replay');
    const admin = kafka.admin();
    const producer = orderedProducer(kafka);
    try {
      await connect(admin, kafkaBrokers);
      await ensureEventTopic(admin, topic, kafkaTopicSettings).catch((error: unknown) => {
        throw new CliError(`cannot create or check topic ${topic}: ${oneLine(error)}`);
      });
      await connect(producer, kafkaBrokers);
      const outcome = await this.walk(
        'replay',
        options,
        async (events) => {
          await producer.send({ topic, acks: -1, messages: events.map(toKafkaMessage) });
        },
        'sent',
      );
      const rate =
        outcome.seconds > 0 ? Math.round(outcome.handled / outcome.seconds) : outcome.handled;
      const resume = `resume with --after ${formatCursor(outcome.cursor)}`;
      process.stderr.write(
        `${outcome.interrupted ? 'interrupted: ' : ''}sent ${outcome.handled} events to ${topic} ` +
          `in ${outcome.seconds.toFixed(1)}s (${rate} events/s); ${resume}\n`,
      );
      if (outcome.interrupted) process.exitCode = INTERRUPTED_EXIT_CODE;
    } finally {
      await Promise.allSettled([producer.disconnect(), admin.disconnect()]);
    }
  }
}
