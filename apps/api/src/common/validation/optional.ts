import { ValidateIf } from 'class-validator';

/** Optional, but `null` is not a value: it fails the field's other validators. */
export const IsOptionalNotNull = () => ValidateIf((_, value) => value !== undefined);

/** Drops keys whose value is undefined, so a partial DTO never blanks a field. */
export function definedOnly<T extends object>(dto: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(dto).filter(([, value]) => value !== undefined),
  ) as Partial<T>;
}
