import { EVENT_TYPES, isStrictInstant, toCanonicalInstant } from '@app/domain';
import { badArgument } from './cli-error';
import { parseCursor, type HistoryFilter } from './history';

/**
 * Option parsers shared by the commands that walk the history. commander calls them with the
 * raw text (and, for a repeatable option, the values so far); what they throw becomes the
 * command's one-line error.
 */
export function nonEmpty(name: string) {
  return (value: string): string => {
    if (value.trim() === '') throw badArgument(`${name} must not be empty`);
    return value;
  };
}

/** nest-commander's `choices` are not enforced once an option has a parser: this does it. */
export function oneOf<T extends string>(name: string, values: readonly T[]) {
  return (value: string): T => {
    if (!(values as readonly string[]).includes(value)) {
      throw badArgument(`${name} "${value}" is not one of ${values.join(', ')}`);
    }
    return value as T;
  };
}

export function collectType(value: string, previous: string[] = []): string[] {
  if (!EVENT_TYPES.includes(value)) {
    throw badArgument(`--type "${value}" is not an event type (one of ${EVENT_TYPES.join(', ')})`);
  }
  return [...previous, value];
}

export function instant(name: string) {
  return (value: string): string => {
    if (!isStrictInstant(value)) {
      throw badArgument(`${name} "${value}" is not an instant such as 2024-01-01T00:00:00Z`);
    }
    return toCanonicalInstant(value);
  };
}

export function positiveInteger(name: string, max = Number.MAX_SAFE_INTEGER) {
  return (value: string): number => {
    const number = Number(value);
    if (!/^\d+$/.test(value) || number < 1 || number > max) {
      throw badArgument(`${name} must be a whole number from 1 to ${max}, got "${value}"`);
    }
    return number;
  };
}

export const cursor = parseCursor;

export const DEFAULT_BATCH_SIZE = 1_000;
export const MAX_BATCH_SIZE = 10_000;

/** The options every history walk accepts, as commander hands them over. */
export interface HistoryOptions {
  tenant?: string;
  type?: string[];
  stream?: string;
  from?: string;
  to?: string;
  after?: number;
  batchSize?: number;
  rate?: number;
}

export function historyFilter(options: HistoryOptions): HistoryFilter {
  if (options.from && options.to && Date.parse(options.from) > Date.parse(options.to)) {
    throw badArgument('--to must not be before --from');
  }
  return {
    tenantId: options.tenant,
    types: options.type,
    streamId: options.stream,
    from: options.from,
    to: options.to,
  };
}

export const CONFIG_HELP = `
Configuration comes from the service's environment: DATA_DIR (embedded store), or MONGODB_URI
and MONGODB_DB; KAFKA_BROKERS and KAFKA_TOPIC where Kafka is involved.`;
