import { z } from 'zod';
import { STRICT_INSTANT_PATTERN_SOURCE, toUtcDay, toUtcInstant } from '@app/domain';

/**
 * Building blocks of the request schemas. Each rule is written once here; validation, the
 * OpenAPI document (via nestjs-zod and z.toJSONSchema) and the TypeScript types come from it.
 * Instants and decimals live in libs/domain (schemas/primitives.ts): the event schemas use
 * them too.
 */
export {
  DECIMAL_PATTERN,
  NON_NEGATIVE_DECIMAL_PATTERN,
  instant,
  jsonObject,
  money,
  quantity,
} from '@app/domain';

/** A name or id that must hold more than blanks. */
export const label = (max: number) =>
  text(max).refine((value) => value.length === 0 || value.trim().length > 0, {
    error: 'must not be blank',
  });

/** A bounded identifier or label; `min` 1 unless told. */
export const text = (max: number, min = 1) =>
  z
    .string({ error: 'must be a string' })
    .min(min, { error: `must not be empty` })
    .max(max, { error: `must be at most ${max} characters` });

export const METADATA_LIMITS = { keys: 50, keyLength: 40, valueLength: 500 } as const;

/** SPEC §2: ≤ 50 keys, keys ≤ 40 chars, values ≤ 500 chars (non-string values by their JSON). */
export const metadata = () =>
  z
    .record(z.string(), z.unknown(), { error: 'must be an object' })
    .superRefine((value, ctx) => {
      // Reported on `metadata` itself, naming the key, as one field error each.
      const problem = (message: string) => ctx.addIssue({ code: 'custom', message });
      const entries = Object.entries(value);
      if (entries.length > METADATA_LIMITS.keys) {
        problem(`must have at most ${METADATA_LIMITS.keys} keys`);
      }
      for (const [key, item] of entries) {
        if (key.length > METADATA_LIMITS.keyLength) {
          problem(
            `key "${key.slice(0, 50)}" is longer than ${METADATA_LIMITS.keyLength} characters`,
          );
        }
        const length = typeof item === 'string' ? item.length : JSON.stringify(item).length;
        if (length > METADATA_LIMITS.valueLength) {
          problem(`value of "${key}" is longer than ${METADATA_LIMITS.valueLength} characters`);
        }
      }
    })
    .meta({
      maxProperties: METADATA_LIMITS.keys,
      description: `at most ${METADATA_LIMITS.keys} keys of ≤ ${METADATA_LIMITS.keyLength} characters, values ≤ ${METADATA_LIMITS.valueLength} characters (as JSON)`,
    });

export const oneOf = <T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: `must be one of ${values.join(', ')}` });

/** A query-string integer ("50" → 50); refuses fractions and non-numbers. */
export const queryInteger = (min: number, max: number | undefined, fallback: number) => {
  const base = z.coerce
    .number({ error: 'must be an integer' })
    .int({ error: 'must be an integer' })
    .min(min, { error: `must be at least ${min}` });
  return (max === undefined ? base : base.max(max, { error: `must be at most ${max}` }))
    .optional()
    .meta({ default: fallback });
};

/** A query-string flag: exactly `true` or `false` (absent = false). */
export const queryBoolean = (description: string) =>
  z
    .enum(['true', 'false'], { error: 'must be true or false' })
    .optional()
    .transform((value) => value === 'true')
    .meta({ description, default: 'false' });

const UTC_DAY_MESSAGE =
  'must be a date YYYY-MM-DD (or an RFC 3339 date-time at exactly midnight UTC)';

/** A Togai edit date: `YYYY-MM-DD`, or a strict instant exactly at midnight UTC. */
/** Documents the form of a Togai date (`YYYY-MM-DD` or a strict instant); the refinement holds the rule. */
const DAY_OR_INSTANT_PATTERN_SOURCE = `^\\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])$|${STRICT_INSTANT_PATTERN_SOURCE}`;

export const utcDay = () =>
  z
    .string({ error: UTC_DAY_MESSAGE })
    .refine((value) => value.length <= 40 && toUtcDay(value) !== null, { error: UTC_DAY_MESSAGE })
    .meta({ maxLength: 40, pattern: DAY_OR_INSTANT_PATTERN_SOURCE, example: '2024-07-04' });

/** `YYYY-MM-DD` (midnight UTC) or any strict instant. */
export const dayOrInstant = () =>
  z
    .string({ error: 'must be a date YYYY-MM-DD or an RFC 3339 date-time' })
    .refine((value) => value.length <= 40 && toUtcInstant(value) !== null, {
      error: 'must be a date YYYY-MM-DD or an RFC 3339 date-time',
    })
    .meta({ maxLength: 40, pattern: DAY_OR_INSTANT_PATTERN_SOURCE, example: '2024-07-04' });
