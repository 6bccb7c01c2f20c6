import type { FieldError } from '../domain-error';
import { validatePricingCycleConfig, type PricingCycleConfig } from '../pricing-cycles';
import type {
  AssociationConfigInput,
  EditInput,
  PreActionInput,
} from './account-schedules.commands';
import {
  EDIT_MODES,
  LICENSE_UPDATE_TYPES,
  MAX_EDITS_PER_CALL,
  OPEN_ENDED_DATE,
  PRE_ACTION_TYPES,
  PRICING_RULE_ACTION_TYPES,
  PRICING_RULE_TIMINGS,
  type AccountScheduleEdit,
  type AssociationConfig,
  type EditMode,
  type GrantLicense,
  type LicenseUpdateType,
  type PricingRule,
  type PricingRuleAction,
} from './account-schedules.types';
import { epochOf, toUtcDay, toUtcInstant } from './utc-day';

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

const CURRENCY = /^[A-Z]{3}$/;
const DAY_FORMAT = 'must be a date YYYY-MM-DD (or an RFC 3339 date-time at exactly midnight UTC)';

type Errors = FieldError[];
const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isNonEmptyString = (value: unknown, max: number): value is string =>
  typeof value === 'string' && value.trim().length > 0 && value.length <= max;

/** Validates an edit call; the edits come back normalised (no scheduleId yet), or errors are added. */
export function parseEdits(
  edits: unknown,
  errors: Errors,
): Omit<AccountScheduleEdit, 'scheduleId'>[] {
  if (!Array.isArray(edits) || edits.length < 1 || edits.length > MAX_EDITS_PER_CALL) {
    errors.push({
      field: 'edits',
      message: `must be an array of 1 to ${MAX_EDITS_PER_CALL} edits`,
    });
    return [];
  }
  return edits.flatMap((edit, i) => {
    const parsed = parseEdit(edit, `edits[${i}]`, errors);
    return parsed ? [parsed] : [];
  });
}

function parseEdit(
  input: unknown,
  path: string,
  errors: Errors,
): Omit<AccountScheduleEdit, 'scheduleId'> | null {
  if (!isObject(input)) {
    errors.push({ field: path, message: 'must be an object' });
    return null;
  }
  const edit = input as unknown as EditInput;
  const before = errors.length;
  const fail = (field: string, message: string) =>
    errors.push({ field: `${path}.${field}`, message });

  const mode = edit.mode as EditMode;
  if (!EDIT_MODES.includes(mode)) fail('mode', `must be one of ${EDIT_MODES.join(', ')}`);

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

  const hasConfig = edit.associationConfig !== undefined && edit.associationConfig !== null;
  let associationConfig: AssociationConfig | null = null;
  if (mode === 'ASSOCIATE') {
    if (!hasConfig) fail('associationConfig', 'is required for ASSOCIATE');
    else
      associationConfig = parseAssociationConfig(
        edit.associationConfig,
        `${path}.associationConfig`,
        errors,
      );
  } else if (mode === 'DISASSOCIATE' && hasConfig) {
    fail('associationConfig', 'must not be given for DISASSOCIATE');
  }

  if (errors.length > before || effectiveFrom === null || effectiveUntil === null) return null;
  return {
    mode,
    effectiveFrom,
    effectiveUntil,
    ...(associationConfig ? { associationConfig } : {}),
  };
}

function parseAssociationConfig(
  input: unknown,
  path: string,
  errors: Errors,
): AssociationConfig | null {
  if (!isObject(input)) {
    errors.push({ field: path, message: 'must be an object' });
    return null;
  }
  const config = input as unknown as AssociationConfigInput;
  const before = errors.length;
  const fail = (field: string, message: string) =>
    errors.push({ field: `${path}.${field}`, message });
  const L = ACCOUNT_SCHEDULE_LIMITS;

  if (!isNonEmptyString(config.pricePlanId, L.idLength)) {
    fail('pricePlanId', `must be a non-empty string of at most ${L.idLength} characters`);
  }

  const info = config.pricePlanInfo as unknown;
  if (!isObject(info)) fail('pricePlanInfo', 'must be an object');
  else {
    if (!isNonEmptyString(info.name, L.nameLength)) {
      fail(
        'pricePlanInfo.name',
        `must be a non-empty string of at most ${L.nameLength} characters`,
      );
    }
    if (
      info.description !== undefined &&
      (typeof info.description !== 'string' || info.description.length > L.descriptionLength)
    ) {
      fail(
        'pricePlanInfo.description',
        `must be a string of at most ${L.descriptionLength} characters`,
      );
    }
  }

  const currencies = config.supportedCurrencies as unknown;
  if (!Array.isArray(currencies) || currencies.length === 0 || currencies.length > L.currencies) {
    fail(
      'supportedCurrencies',
      `must be a non-empty array of at most ${L.currencies} currency codes`,
    );
  } else {
    currencies.forEach((code, j) => {
      if (typeof code !== 'string' || !CURRENCY.test(code)) {
        fail(
          `supportedCurrencies[${j}]`,
          'must be a 3-letter ISO 4217 code in upper case, such as USD',
        );
      } else if (currencies.indexOf(code) !== j) {
        fail(`supportedCurrencies[${j}]`, `${code} is listed twice`);
      }
    });
  }

  const cycleErrors = validatePricingCycleConfig(config.pricingCycleConfig);
  for (const error of cycleErrors) {
    errors.push({
      field: error.field
        ? `${path}.pricingCycleConfig.${error.field}`
        : `${path}.pricingCycleConfig`,
      message: error.message,
    });
  }

  for (const flag of ['deferredRevenue', 'allowOngoingCycleUpdates'] as const) {
    if (config[flag] !== undefined && typeof config[flag] !== 'boolean')
      fail(flag, 'must be a boolean');
  }

  let pricingRules: PricingRule[] | undefined;
  if (config.pricingRules !== undefined) {
    if (!Array.isArray(config.pricingRules) || config.pricingRules.length > L.pricingRules) {
      fail('pricingRules', `must be an array of at most ${L.pricingRules} pricing rules`);
    } else {
      pricingRules = config.pricingRules.map((rule, j) =>
        parsePricingRule(rule, `${path}.pricingRules[${j}]`, errors),
      );
    }
  }

  if (errors.length > before) return null;
  const pricePlanInfo = info as { name: string; description?: string };
  return {
    pricePlanId: config.pricePlanId,
    pricePlanInfo: {
      name: pricePlanInfo.name,
      ...(pricePlanInfo.description !== undefined
        ? { description: pricePlanInfo.description }
        : {}),
    },
    pricingCycleConfig: config.pricingCycleConfig as PricingCycleConfig,
    supportedCurrencies: [...(currencies as string[])],
    deferredRevenue: config.deferredRevenue ?? false,
    allowOngoingCycleUpdates: config.allowOngoingCycleUpdates ?? false,
    ...(pricingRules ? { pricingRules } : {}),
  };
}

/** The seed's PricingRule, field for field; unknown fields are refused. */
function parsePricingRule(input: unknown, path: string, errors: Errors): PricingRule {
  const fail = (field: string, message: string) =>
    errors.push({ field: field ? `${path}.${field}` : path, message });
  if (!isObject(input)) {
    fail('', 'must be an object');
    return input as PricingRule;
  }
  const L = ACCOUNT_SCHEDULE_LIMITS;
  const known = [
    'id',
    'name',
    'version',
    'invoiceTiming',
    'order',
    'condition',
    'computation',
    'action',
  ];
  for (const key of Object.keys(input)) if (!known.includes(key)) fail(key, 'is not a known field');
  if (!isNonEmptyString(input.id, L.idLength)) fail('id', 'must be a non-empty string');
  if (!isNonEmptyString(input.name, L.nameLength)) fail('name', 'must be a non-empty string');
  for (const field of ['version', 'order'] as const) {
    if (!Number.isSafeInteger(input[field]) || (input[field] as number) < 1) {
      fail(field, 'must be an integer of at least 1');
    }
  }
  if (
    input.invoiceTiming !== undefined &&
    !PRICING_RULE_TIMINGS.includes(input.invoiceTiming as never)
  ) {
    fail('invoiceTiming', `must be one of ${PRICING_RULE_TIMINGS.join(', ')}`);
  }
  if (input.condition !== undefined && !isText(input.condition))
    fail('condition', 'must be a string');
  if (!isText(input.computation) || input.computation.length === 0) {
    fail('computation', 'must be a non-empty string');
  }
  const action = input.action;
  if (!isObject(action)) fail('action', 'must be an object');
  else {
    for (const key of Object.keys(action)) {
      if (!['type', 'target', 'id', 'description', 'metadata'].includes(key)) {
        fail(`action.${key}`, 'is not a known field');
      }
    }
    if (!PRICING_RULE_ACTION_TYPES.includes(action.type as never)) {
      fail('action.type', `must be one of ${PRICING_RULE_ACTION_TYPES.join(', ')}`);
    }
    for (const field of ['target', 'id', 'description'] as const) {
      if (action[field] !== undefined && !isText(action[field]))
        fail(`action.${field}`, 'must be a string');
    }
    if (
      action.metadata !== undefined &&
      (!isObject(action.metadata) ||
        !Object.values(action.metadata).every((v) => typeof v === 'string'))
    ) {
      fail('action.metadata', 'must be an object of strings');
    }
  }
  return {
    ...(input as unknown as PricingRule),
    action: { ...(action as unknown as PricingRuleAction) },
  };
}

const isText = (value: unknown): value is string =>
  typeof value === 'string' && value.length <= ACCOUNT_SCHEDULE_LIMITS.ruleTextLength;

const GRANT_LICENSE_FIELDS = ['licenseId', 'updateType', 'quantity', 'effectiveFrom'];

/** Validates finalize pre-actions; they come back normalised, or errors are added. */
export function parsePreActions(preActions: unknown, errors: Errors): GrantLicense[] {
  if (preActions === undefined || preActions === null) return [];
  if (!Array.isArray(preActions) || preActions.length > ACCOUNT_SCHEDULE_LIMITS.preActions) {
    errors.push({
      field: 'preActions',
      message: `must be an array of at most ${ACCOUNT_SCHEDULE_LIMITS.preActions} pre-actions`,
    });
    return [];
  }
  return preActions.flatMap((action, i) => {
    const parsed = parsePreAction(action, `preActions[${i}]`, errors);
    return parsed ? [parsed] : [];
  });
}

function parsePreAction(input: unknown, path: string, errors: Errors): GrantLicense | null {
  if (!isObject(input)) {
    errors.push({ field: path, message: 'must be an object' });
    return null;
  }
  const action = input as unknown as PreActionInput;
  const before = errors.length;
  const fail = (field: string, message: string) =>
    errors.push({ field: `${path}.${field}`, message });
  if (!PRE_ACTION_TYPES.includes(action.type as never)) {
    fail('type', `must be one of ${PRE_ACTION_TYPES.join(', ')}`);
    return null;
  }
  const config = action.config;
  if (!isObject(config)) {
    fail(
      'config',
      'is required for GRANT_LICENSE: {licenseId, updateType, quantity, effectiveFrom?}',
    );
    return null;
  }
  for (const key of Object.keys(config)) {
    if (!GRANT_LICENSE_FIELDS.includes(key)) fail(`config.${key}`, 'is not a known field');
  }
  if (!isNonEmptyString(config.licenseId, ACCOUNT_SCHEDULE_LIMITS.idLength)) {
    fail('config.licenseId', 'is required: a non-empty string');
  }
  const updateType = config.updateType as LicenseUpdateType;
  if (!LICENSE_UPDATE_TYPES.includes(updateType)) {
    fail('config.updateType', `is required: one of ${LICENSE_UPDATE_TYPES.join(', ')}`);
  }
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
  if (errors.length > before || quantity === null) return null;
  return {
    type: 'GRANT_LICENSE',
    config: {
      licenseId: config.licenseId as string,
      updateType,
      quantity,
      ...(effectiveFrom ? { effectiveFrom } : {}),
    },
  };
}

function parseQuantity(value: unknown): number | null {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? value : null;
  if (typeof value === 'string' && /^\d{1,16}$/.test(value)) {
    const n = Number(value);
    return Number.isSafeInteger(n) ? n : null;
  }
  return null;
}
