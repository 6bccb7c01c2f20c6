import { z } from 'zod';
import {
  isStrictInstant,
  STRICT_INSTANT_MESSAGE,
  STRICT_INSTANT_PATTERN_SOURCE,
} from '../calendar/instant';

/**
 * Primitive shapes shared by the API's request schemas and the event schemas, so that an
 * instant or a decimal means one thing everywhere (validation, OpenAPI, AsyncAPI, types).
 */

/** SPEC §2: inputs are at most 20 integer and 12 fraction digits. */
export const DECIMAL_PATTERN = /^-?\d{1,20}(\.\d{1,12})?$/;
export const NON_NEGATIVE_DECIMAL_PATTERN = /^\d{1,20}(\.\d{1,12})?$/;
/** What the service computes (products, unit fractions) may be longer than an input. */
export const COMPUTED_DECIMAL_PATTERN = /^-?\d+(\.\d+)?$/;

/** An RFC 3339 instant under the one rule of libs/domain (parseStrictInstant). */
// One check per field, so a bad value yields one error; the documented pattern is the
// shape part of the same rule.
export const instant = () =>
  z
    .string({ error: STRICT_INSTANT_MESSAGE })
    .refine(isStrictInstant, { error: STRICT_INSTANT_MESSAGE })
    .meta({
      format: 'date-time',
      pattern: STRICT_INSTANT_PATTERN_SOURCE,
      example: '2024-01-31T00:00:00Z',
    });

export const money = () =>
  z
    .string({ error: 'must be a decimal string such as "12.50"' })
    .regex(DECIMAL_PATTERN, { error: 'must be a decimal string such as "12.50"' })
    .meta({ example: '12.50' });

export const quantity = () =>
  z
    .string({ error: 'must be a non-negative decimal string such as "3"' })
    .regex(NON_NEGATIVE_DECIMAL_PATTERN, {
      error: 'must be a non-negative decimal string such as "3"',
    })
    .meta({ example: '3' });

/** A decimal string the service computed: plain notation, no exponent, any length. */
export const computedDecimal = (example: string) =>
  z
    .string({ error: 'must be a decimal string' })
    .regex(COMPUTED_DECIMAL_PATTERN, { error: 'must be a decimal string' })
    .meta({ example });

/** A free-form JSON object. */
export const jsonObject = () => z.record(z.string(), z.unknown(), { error: 'must be an object' });
