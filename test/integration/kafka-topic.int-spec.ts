import { Kafka, logLevel, type Admin } from 'kafkajs';
import { dropDatabase, KAFKA_BROKERS, uniqueName } from './support/infra';
import { startProductionApp, waitFor } from './support/production';

type App = Awaited<ReturnType<typeof startProductionApp>>;

/** The topic as the broker describes it: the settings that decide whether history is kept. */
async function describeTopic(admin: Admin, topic: string) {
  const configs = await admin.describeConfigs({
    includeSynonyms: false,
    resources: [
      { type: 2, name: topic, configNames: ['retention.ms', 'retention.bytes', 'cleanup.policy'] },
    ],
  });
  const entries = configs.resources[0].configEntries;
  const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
  return {
    ...Object.fromEntries(entries.map((entry) => [entry.configName, entry.configValue])),
    partitions: metadata.topics[0].partitions.length,
  };
}

describe('the event topic keeps history (relay side)', () => {
  const db = uniqueName('topic');
  let admin: Admin;
  let app: App | undefined;

  beforeAll(async () => {
    admin = new Kafka({ brokers: KAFKA_BROKERS, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });
  afterAll(async () => {
    await admin?.disconnect();
    await dropDatabase(db);
  });

  // First in the file: nestjs-pino keeps the first app's log destination for the whole process.
  it('warns loudly about an existing topic with a finite retention and leaves it unchanged', async () => {
    const topic = uniqueName('finite');
    await admin.createTopics({
      waitForLeaders: true,
      topics: [
        { topic, numPartitions: 2, configEntries: [{ name: 'retention.ms', value: '3600000' }] },
      ],
    });
    const before = await describeTopic(admin, topic);
    const lines: Array<{ level: number; msg: string; context?: string }> = [];
    app = await startProductionApp(
      db,
      topic,
      { LOG_LEVEL: 'warn', KAFKA_PARTITIONS: '6' },
      { logDestination: { write: (line: string) => void lines.push(JSON.parse(line)) } },
    );

    await waitFor('the retention warning', () =>
      lines.some((line) => line.msg.includes('retention.ms=3600000')),
    );
    const warnings = lines.filter((line) => line.level === 40 && line.msg.includes(topic));
    expect(warnings.map((line) => line.msg)).toEqual([
      expect.stringMatching(
        new RegExp(
          `^topic ${topic} has retention\\.ms=3600000: .*kafka-configs\\.sh .*--alter .*--entity-name ${topic} --add-config retention\\.ms=-1$`,
        ),
      ),
      expect.stringMatching(
        new RegExp(`^topic ${topic} has 2 partitions, KAFKA_PARTITIONS is 6: `),
      ),
    ]);
    expect(before).toMatchObject({ 'retention.ms': '3600000', partitions: 2 });
    expect(await describeTopic(admin, topic)).toEqual(before);
  });

  it('creates a missing topic with retention.ms=-1 and KAFKA_PARTITIONS partitions at start', async () => {
    const topic = uniqueName('archive');
    app = await startProductionApp(db, topic, { KAFKA_PARTITIONS: '4' });

    await waitFor('the topic on the broker', async () =>
      (await admin.listTopics()).includes(topic),
    );
    expect(await describeTopic(admin, topic)).toEqual({
      'retention.ms': '-1',
      'retention.bytes': '-1',
      'cleanup.policy': 'delete',
      partitions: 4,
    });
  });
});
