import { Duration } from 'luxon';
import { topicSettingsFromEnv, type TopicSettings } from '@app/messaging';
import { parseLogLevel, type LogLevel } from '../common/logging/logging';

export interface AppConfig {
  port: number;
  mongodbUri?: string;
  mongodbDb: string;
  kafkaBrokers?: string[];
  kafkaTopic: string;
  /** KAFKA_PARTITIONS, KAFKA_REPLICATION_FACTOR: used when the relay creates the topic. */
  kafkaTopicSettings: TopicSettings;
  /** `key=tenant,…`; required when MONGODB_URI is set. */
  apiKeys?: string;
  dataDir: string;
  /** Milliseconds; 0 turns the periodic billing-period task off. */
  billingPeriodUpdateIntervalMs: number;
  logLevel: LogLevel;
  /** Requests per minute one tenant may make. */
  rateLimitPerMinute: number;
  /** Failed authentications per minute one client address may make before it gets 429. */
  authFailureLimitPerMinute: number;
}

export const APP_CONFIG = Symbol('APP_CONFIG');

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const config: AppConfig = {
    port: integer(env.PORT ?? '3000', 'PORT'),
    mongodbUri: env.MONGODB_URI || undefined,
    mongodbDb: env.MONGODB_DB || 'billing',
    kafkaBrokers: env.KAFKA_BROKERS
      ? env.KAFKA_BROKERS.split(',')
          .map((b) => b.trim())
          .filter(Boolean)
      : undefined,
    kafkaTopic: env.KAFKA_TOPIC || 'schedule-events',
    kafkaTopicSettings: topicSettingsFromEnv(env),
    apiKeys: env.API_KEYS || undefined,
    dataDir: env.DATA_DIR || './data',
    billingPeriodUpdateIntervalMs: interval(env.BILLING_PERIOD_UPDATE_INTERVAL ?? '15m'),
    logLevel: parseLogLevel(env.LOG_LEVEL),
    rateLimitPerMinute: positive(env.RATE_LIMIT_PER_MINUTE ?? '6000', 'RATE_LIMIT_PER_MINUTE'),
    authFailureLimitPerMinute: positive(
      env.AUTH_FAILURE_LIMIT_PER_MINUTE ?? '100',
      'AUTH_FAILURE_LIMIT_PER_MINUTE',
    ),
  };
  if (config.mongodbUri && !config.apiKeys) {
    throw new Error('MONGODB_URI is set but API_KEYS is not: production mode needs API keys');
  }
  return config;
}

function integer(value: string, name: string): number {
  if (!/^\d+$/.test(value)) throw new Error(`${name} must be a whole number, got "${value}"`);
  return Number(value);
}

function positive(value: string, name: string): number {
  const number = integer(value, name);
  if (number < 1) throw new Error(`${name} must be at least 1, got "${value}"`);
  return number;
}

/** `0`, `15m`, `30s`, `1h`, a bare number of milliseconds, or an ISO-8601 duration. */
export function interval(value: string): number {
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const short = trimmed.match(/^(\d+)(ms|s|m|h)$/);
  if (short) {
    const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[short[2] as 'ms' | 's' | 'm' | 'h'];
    return Number(short[1]) * unit;
  }
  const iso = Duration.fromISO(trimmed);
  if (iso.isValid) return iso.toMillis();
  throw new Error(`BILLING_PERIOD_UPDATE_INTERVAL "${value}" is not a duration such as 15m`);
}
