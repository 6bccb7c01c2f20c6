import { loadConfig } from './app-config';
import { loadProjectorConfig } from '../../../projector/src/projector-config';

describe('loadConfig: operability settings', () => {
  it('defaults to info logs, 6000 requests per tenant and 100 failed authentications per minute', () => {
    expect(loadConfig({})).toMatchObject({
      logLevel: 'info',
      rateLimitPerMinute: 6000,
      authFailureLimitPerMinute: 100,
    });
  });

  it.each(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'])(
    'takes LOG_LEVEL=%s',
    (level) => {
      expect(loadConfig({ LOG_LEVEL: level }).logLevel).toBe(level);
    },
  );

  it('refuses an unknown LOG_LEVEL and limits that are not positive whole numbers', () => {
    expect(() => loadConfig({ LOG_LEVEL: 'verbose' })).toThrow(/LOG_LEVEL must be one of/);
    expect(() => loadConfig({ RATE_LIMIT_PER_MINUTE: '0' })).toThrow(/at least 1/);
    expect(() => loadConfig({ AUTH_FAILURE_LIMIT_PER_MINUTE: '1.5' })).toThrow(/whole number/);
    expect(loadConfig({ RATE_LIMIT_PER_MINUTE: '10' }).rateLimitPerMinute).toBe(10);
  });
});

describe('loadConfig: the Kafka topic', () => {
  it('creates 6 partitions with the broker default replication factor unless told otherwise', () => {
    expect(loadConfig({}).kafkaTopicSettings).toEqual({ partitions: 6, replicationFactor: -1 });
    expect(
      loadConfig({ KAFKA_PARTITIONS: '12', KAFKA_REPLICATION_FACTOR: '3' }).kafkaTopicSettings,
    ).toEqual({ partitions: 12, replicationFactor: 3 });
  });

  it.each([
    ['KAFKA_PARTITIONS', '0'],
    ['KAFKA_PARTITIONS', '-1'],
    ['KAFKA_PARTITIONS', 'six'],
    ['KAFKA_PARTITIONS', '2.5'],
    ['KAFKA_REPLICATION_FACTOR', '0'],
    ['KAFKA_REPLICATION_FACTOR', '-2'],
    ['KAFKA_REPLICATION_FACTOR', 'all'],
  ])('refuses to start with %s=%s, naming the variable', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`^${name} must be`));
  });

  it('the projector reads the same settings', () => {
    const env = { MONGODB_URI: 'mongodb://x', KAFKA_BROKERS: 'k:9092', KAFKA_PARTITIONS: '4' };
    expect(loadProjectorConfig(env).kafkaTopicSettings).toEqual({
      partitions: 4,
      replicationFactor: -1,
    });
    expect(() => loadProjectorConfig({ ...env, KAFKA_PARTITIONS: '0' })).toThrow(
      /^KAFKA_PARTITIONS must be/,
    );
  });
});
