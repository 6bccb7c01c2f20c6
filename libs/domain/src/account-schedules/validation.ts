import type { FieldError } from '../domain-error';
import { validatePricingCycleConfig } from '../pricing-cycles';
import type {
  AssociationConfigInput,
  EditInput,
  PreActionInput,
} from './account-schedules.commands';
import {
  OPEN_ENDED_DATE,
  type AccountScheduleEdit,
  type AssociationConfig,
  type GrantLicense,
} from './account-schedules.types';
import { epochOf, toUtcDay, toUtcInstant } from './utc-day';

/**
 * The rules of edits and pre-actions that span fields or need the calendar. The shapes (JSON
 * types, enums, lengths, unknown fields) are the API's request schemas and are not repeated
 * here; decide receives input that has passed them.
 */

/** Field limits where the contract names none (documented in docs/decisions.md). */
export const ACCOUNT_SCHEDULE_LIMITS = {
  idLength: 255,
  nameLength: 255,
  descriptionLength: 1000,
  currencies: 50,
  pricingRules: 100,
  ruleTextLength: 10_000,
  preActions: 100,
} as const;

const DAY_FORMAT = 'must be a date YYYY-MM-DD (or an RFC 3339 date-time at exactly midnight UTC)';

type Errors = FieldError[];

/** The edits normalised (canonical days, open end filled in, defaults applied), or errors added. */
export function parseEdits(
  edits: EditInput[],
  errors: Errors,
): Omit<AccountScheduleEdit, 'scheduleId'>[] {
  return edits.flatMap((edit, i) => {
    const parsed = parseEdit(edit, `edits[${i}]`, errors);
    return parsed ? [parsed] : [];
  });
}

function parseEdit(
  edit: EditInput,
  path: string,
  errors: Errors,
): Omit<AccountScheduleEdit, 'scheduleId'> | null {
  const before = errors.length;
  const fail = (field: string, message: string) =>
    errors.push({ field: `${path}.${field}`, message });

  const effectiveFrom = toUtcDay(edit.effectiveFrom);
  if (effectiveFrom === null) fail('effectiveFrom', DAY_FORMAT);
  else if (epochOf(effectiveFrom) >= epochOf(OPEN_ENDED_DATE)) {
    fail('effectiveFrom', `must be before ${OPEN_ENDED_DATE.slice(0, 10)}`);
  }

  let effectiveUntil: string | null = OPEN_ENDED_DATE;
  if (edit.effectiveUntil !== undefined && edit.effectiveUntil !== null) {
    effectiveUntil = toUtcDay(edit.effectiveUntil);
    if (effectiveUntil === null) fail('effectiveUntil', DAY_FORMAT);
    else if (epochOf(effectiveUntil) > epochOf(OPEN_ENDED_DATE)) {
      fail(
        'effectiveUntil',
        `must not be after ${OPEN_ENDED_DATE.slice(0, 10)} (omit it for an open end)`,
      );
    } else if (effectiveFrom !== null && epochOf(effectiveUntil) <= epochOf(effectiveFrom)) {
      fail('effectiveUntil', 'must be after effectiveFrom (it is exclusive)');
    }
  }

  const config = edit.associationConfig ?? null;
  let associationConfig: AssociationConfig | null = null;
  if (edit.mode === 'ASSOCIATE') {
    if (config === null) fail('associationConfig', 'is required for ASSOCIATE');
    else associationConfig = parseAssociationConfig(config, `${path}.associationConfig`, errors);
  } else if (config !== null) {
    fail('associationConfig', 'must not be given for DISASSOCIATE');
  }

  if (errors.length > before || effectiveFrom === null || effectiveUntil === null) return null;
  return {
    mode: edit.mode,
    effectiveFrom,
    effectiveUntil,
    ...(associationConfig ? { associationConfig } : {}),
  };
}

function parseAssociationConfig(
  config: AssociationConfigInput,
  path: string,
  errors: Errors,
): AssociationConfig | null {
  const before = errors.length;
  config.supportedCurrencies.forEach((code, j) => {
    if (config.supportedCurrencies.indexOf(code) !== j) {
      errors.push({
        field: `${path}.supportedCurrencies[${j}]`,
        message: `${code} is listed twice`,
      });
    }
  });
  // The offsets' ranges depend on the interval (WEEKLY days 1–7, QUARTERLY months 1–3, …).
  for (const error of validatePricingCycleConfig(config.pricingCycleConfig)) {
    errors.push({
      field: error.field
        ? `${path}.pricingCycleConfig.${error.field}`
        : `${path}.pricingCycleConfig`,
      message: error.message,
    });
  }
  if (errors.length > before) return null;
  const { pricePlanInfo, pricingRules } = config;
  return {
    pricePlanId: config.pricePlanId,
    pricePlanInfo: {
      name: pricePlanInfo.name,
      ...(pricePlanInfo.description !== undefined
        ? { description: pricePlanInfo.description }
        : {}),
    },
    pricingCycleConfig: config.pricingCycleConfig,
    supportedCurrencies: [...config.supportedCurrencies],
    deferredRevenue: config.deferredRevenue ?? false,
    allowOngoingCycleUpdates: config.allowOngoingCycleUpdates ?? false,
    ...(pricingRules
      ? { pricingRules: pricingRules.map((r) => ({ ...r, action: { ...r.action } })) }
      : {}),
  };
}

/** Finalize pre-actions normalised (quantity a number, effectiveFrom canonical), or errors added. */
export function parsePreActions(
  preActions: PreActionInput[] | undefined | null,
  errors: Errors,
): GrantLicense[] {
  return (preActions ?? []).flatMap((action, i) => {
    const before = errors.length;
    const fail = (field: string, message: string) =>
      errors.push({ field: `preActions[${i}].${field}`, message });
    const { config } = action;
    const quantity = parseQuantity(config.quantity);
    if (quantity === null) {
      fail('config.quantity', 'is required: a non-negative integer (as a number or a string)');
    }
    let effectiveFrom: string | null | undefined;
    if (config.effectiveFrom !== undefined && config.effectiveFrom !== null) {
      effectiveFrom = toUtcInstant(config.effectiveFrom);
      if (effectiveFrom === null) {
        fail('config.effectiveFrom', 'must be a date YYYY-MM-DD or an RFC 3339 date-time');
      }
    }
    if (errors.length > before || quantity === null) return [];
    return [
      {
        type: 'GRANT_LICENSE' as const,
        config: {
          licenseId: config.licenseId,
          updateType: config.updateType,
          quantity,
          ...(effectiveFrom ? { effectiveFrom } : {}),
        },
      },
    ];
  });
}

/** A safe non-negative integer, from a number or a digit string. */
function parseQuantity(value: number | string): number | null {
  const n = typeof value === 'string' && /^\d{1,16}$/.test(value) ? Number(value) : value;
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 ? n : null;
}
