import { Kafka, logLevel, Partitioners, type Admin, type Producer } from 'kafkajs';
import { CliError, oneLine } from './cli-error';

/**
 * A kafkajs client that stays silent (the tool reports failures itself, on one line) and
 * gives up on an unreachable broker within seconds rather than retrying for minutes.
 */
export function kafkaClient(brokers: string[], clientId: string): Kafka {
  return new Kafka({
    clientId,
    brokers,
    connectionTimeout: 3_000,
    retry: { retries: 2, initialRetryTime: 200, maxRetryTime: 1_000 },
    logLevel: logLevel.NOTHING,
  });
}

/** The relay's producer settings: idempotent, one request in flight, Java-compatible partitioner. */
export function orderedProducer(kafka: Kafka): Producer {
  return kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
}

export async function connect(client: Admin | Producer, brokers: string[]): Promise<void> {
  try {
    await client.connect();
  } catch (error) {
    await client.disconnect().catch(() => undefined);
    throw new CliError(`cannot reach Kafka at ${brokers.join(',')}: ${oneLine(error)}`);
  }
}
