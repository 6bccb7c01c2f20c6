import { applyDecorators } from '@nestjs/common';
import { IsObject, Matches, ValidateBy, ValidationOptions, buildMessage } from 'class-validator';
import { isStrictInstant, STRICT_INSTANT_MESSAGE } from '@app/domain';

export const DECIMAL_PATTERN = /^-?\d{1,20}(\.\d{1,12})?$/;
export const NON_NEGATIVE_DECIMAL_PATTERN = /^\d{1,20}(\.\d{1,12})?$/;

/** RFC 3339 date-time with `Z` or an explicit offset, and a real calendar date. */
export function IsRfc3339(options?: ValidationOptions) {
  return ValidateBy(
    {
      name: 'isRfc3339',
      validator: {
        validate: (value) => isStrictInstant(value),
        defaultMessage: buildMessage(
          (each) => `${each}$property ${STRICT_INSTANT_MESSAGE}`,
          options,
        ),
      },
    },
    options,
  );
}

export const IsMoney = (options?: ValidationOptions) =>
  Matches(DECIMAL_PATTERN, {
    message: '$property must be a decimal string such as "12.50"',
    ...options,
  });

export const IsQuantity = (options?: ValidationOptions) =>
  Matches(NON_NEGATIVE_DECIMAL_PATTERN, {
    message: '$property must be a non-negative decimal string such as "3"',
    ...options,
  });

export const METADATA_LIMITS = { keys: 50, keyLength: 40, valueLength: 500 } as const;

/** SPEC §2: ≤ 50 keys, keys ≤ 40 chars, values ≤ 500 chars (non-string values by their JSON). */
export function IsMetadata(options?: ValidationOptions) {
  return applyDecorators(
    IsObject(options),
    ValidateBy(
      {
        name: 'isMetadata',
        validator: {
          validate: (value) => metadataProblem(value) === null,
          defaultMessage: (args) => `${args?.property} ${metadataProblem(args?.value)}`,
        },
      },
      options,
    ),
  );
}

function metadataProblem(value: unknown): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return 'must be an object';
  const entries = Object.entries(value);
  if (entries.length > METADATA_LIMITS.keys)
    return `must have at most ${METADATA_LIMITS.keys} keys`;
  for (const [key, item] of entries) {
    if (key.length > METADATA_LIMITS.keyLength) {
      return `key "${key.slice(0, 50)}" is longer than ${METADATA_LIMITS.keyLength} characters`;
    }
    const text = typeof item === 'string' ? item : JSON.stringify(item);
    if (text.length > METADATA_LIMITS.valueLength) {
      return `value of "${key}" is longer than ${METADATA_LIMITS.valueLength} characters`;
    }
  }
  return null;
}
