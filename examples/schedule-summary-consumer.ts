/**
 * A downstream consumer, written as another team would write it: plain kafkajs and the
 * published contract (README "Consuming events", /asyncapi.json), nothing from this repo.
 *
 * It reads the topic from the beginning with a new consumer group and folds the billing
 * schedules' events into one summary per schedule, deduplicating by (streamId, version).
 *
 *   npm run example:consumer              # prints the summary on Ctrl-C
 *   npm run example:consumer -- --once    # prints it and exits once caught up with the topic
 *
 * Env: KAFKA_BROKERS (default localhost:9094, docker compose's host listener), KAFKA_TOPIC
 * (default schedule-events). The summary lives in memory, so every run is a new consumer group
 * that starts at offset 0: with retention.ms=-1 the topic holds every event ever published.
 */
import Decimal from 'decimal.js';
import { Kafka, logLevel } from 'kafkajs';

/** The envelope of every message (the Kafka value, JSON). */
interface Envelope {
  id: string;
  type: string;
  schemaVersion: number;
  streamId: string;
  streamType: string;
  version: number;
  tenantId: string;
  occurredAt: string;
  data: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

interface ScheduleSummary {
  id: string;
  tenantId: string;
  status: string;
  version: number;
  intervals: number;
  stagedInvoices: number;
  stagedAmount: string;
  periodsClosed: number;
  deleted: boolean;
}

interface ScheduleState extends ScheduleSummary {
  invoices: Map<string, { amount: string; status: 'staged' | 'pushed' }>;
}

const schedules = new Map<string, ScheduleState>();

/** Applies one event; a redelivered or already-seen (streamId, version) is skipped. */
function apply(event: Envelope): void {
  if (event.streamType !== 'billing_schedule') return;
  const { data } = event;
  let state = schedules.get(event.streamId);
  if (state && event.version <= state.version) return; // duplicate: at-least-once delivery
  if (event.type === 'BillingScheduleCreated') {
    state = {
      id: data.scheduleId,
      tenantId: event.tenantId,
      status: 'draft',
      version: 0,
      intervals: 0,
      stagedInvoices: 0,
      stagedAmount: '0',
      periodsClosed: 0,
      deleted: false,
      invoices: new Map(),
    };
    schedules.set(event.streamId, state);
  }
  if (!state) return; // joined mid-stream: not this example's case (it reads from offset 0)
  state.version = event.version;
  switch (event.type) {
    case 'BillingScheduleActivated':
      state.status = 'active';
      break;
    case 'BillingScheduleCancelled':
      state.status = 'cancelled';
      break;
    case 'BillingScheduleCompleted':
      state.status = 'completed';
      break;
    case 'BillingScheduleDeleted':
      state.deleted = true;
      break;
    case 'ScheduleIntervalsReplaced':
      state.intervals = data.intervals.length; // the event carries the whole resulting set
      break;
    case 'ScheduleInvoicesGenerated':
      for (const id of data.removedInvoiceIds) state.invoices.delete(id);
      for (const invoice of data.invoices) state.invoices.set(invoice.id, invoice);
      break;
    case 'BillingPeriodUpdated': {
      state.periodsClosed += 1;
      const pushed = state.invoices.get(data.pushedInvoiceId);
      if (pushed) pushed.status = 'pushed';
      break;
    }
  }
  const staged = [...state.invoices.values()].filter((invoice) => invoice.status === 'staged');
  state.stagedInvoices = staged.length;
  state.stagedAmount = staged.reduce((sum, i) => sum.plus(i.amount), new Decimal(0)).toString();
}

function summary(): ScheduleSummary[] {
  return [...schedules.values()]
    .map(({ invoices: _invoices, ...rest }) => rest)
    .sort((a, b) => a.id.localeCompare(b.id));
}

async function main(): Promise<void> {
  const once = process.argv.includes('--once');
  const topic = process.env.KAFKA_TOPIC || 'schedule-events';
  const brokers = (process.env.KAFKA_BROKERS || 'localhost:9094').split(',');
  const kafka = new Kafka({ clientId: 'schedule-summary', brokers, logLevel: logLevel.ERROR });
  const consumer = kafka.consumer({ groupId: `schedule-summary-${Date.now()}` });

  // --once: "caught up" means every partition read up to its high watermark as of now.
  const admin = kafka.admin();
  await admin.connect();
  const behind = new Map(
    (await admin.fetchTopicOffsets(topic))
      .filter(({ high, low }) => Number(high) > Number(low))
      .map(({ partition, high }) => [partition, Number(high)]),
  );
  await admin.disconnect();

  let finished = false;
  const finish = async () => {
    if (finished) return;
    finished = true;
    await consumer.disconnect();
    process.stdout.write(`${JSON.stringify(summary(), null, 2)}\n`);
    process.exit(0);
  };
  process.once('SIGINT', finish).once('SIGTERM', finish);
  if (once && behind.size === 0) return finish();

  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ partition, message }) => {
      apply(JSON.parse(message.value!.toString()) as Envelope);
      if (Number(message.offset) + 1 >= (behind.get(partition) ?? Infinity)) {
        behind.delete(partition);
      }
      if (once && behind.size === 0) setImmediate(finish);
    },
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
