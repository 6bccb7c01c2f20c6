import type { ZodType } from 'zod';
import { fieldErrors } from '../common/validation/api-validation.pipe';
import { EditAccountSchedules, FinalizeAccountSchedules } from './account-schedule.dto';

/**
 * The shapes of /v2 request bodies (moved here from the domain, which keeps the cross-field
 * rules): each refusal names the field the API answers in details.errors.
 */

const fieldsOf = (schema: ZodType, body: unknown): string[] => {
  const result = schema.safeParse(body);
  return result.success ? [] : fieldErrors(result.error).map((e) => e.field);
};

const cycle = { interval: 'MONTHLY', startOffset: { dayOffset: '1' }, gracePeriod: 3 };
const config = (overrides: Record<string, unknown> = {}) => ({
  pricePlanId: 'P',
  pricePlanInfo: { name: 'Plan P' },
  pricingCycleConfig: cycle,
  supportedCurrencies: ['USD'],
  ...overrides,
});
const associate = (overrides: Record<string, unknown> = {}) => ({
  mode: 'ASSOCIATE',
  effectiveFrom: '2024-01-01',
  associationConfig: config(overrides),
});
const edits = (...items: unknown[]) => ({ edits: items });

describe('EditAccountSchedules schema', () => {
  it('accepts the README example', () => {
    expect(
      fieldsOf(
        EditAccountSchedules.schema,
        edits(associate(), { mode: 'DISASSOCIATE', effectiveFrom: '2024-08-04' }),
      ),
    ).toEqual([]);
  });

  it.each<[string, unknown, string[]]>([
    ['no edits', edits(), ['edits']],
    [
      'more than 10 edits',
      edits(
        ...Array.from({ length: 11 }, () => ({
          mode: 'DISASSOCIATE',
          effectiveFrom: '2024-01-01',
        })),
      ),
      ['edits'],
    ],
    ['edits not an array', { edits: 'x' }, ['edits']],
    ['an edit not an object', edits('x'), ['edits[0]']],
    ['an unknown mode', edits({ mode: 'REPLACE', effectiveFrom: '2024-01-01' }), ['edits[0].mode']],
    ['an unknown edit field', edits({ ...associate(), note: 1 }), ['edits[0].note']],
    [
      'an empty pricePlanId',
      edits(associate({ pricePlanId: '' })),
      ['edits[0].associationConfig.pricePlanId'],
    ],
    [
      'a blank pricePlanId',
      edits(associate({ pricePlanId: '  ' })),
      ['edits[0].associationConfig.pricePlanId'],
    ],
    [
      'a pricePlanInfo without name',
      edits(associate({ pricePlanInfo: {} })),
      ['edits[0].associationConfig.pricePlanInfo.name'],
    ],
    [
      'a non-string description',
      edits(associate({ pricePlanInfo: { name: 'n', description: 3 } })),
      ['edits[0].associationConfig.pricePlanInfo.description'],
    ],
    [
      'no supportedCurrencies',
      edits(associate({ supportedCurrencies: [] })),
      ['edits[0].associationConfig.supportedCurrencies'],
    ],
    [
      'a bad currency code',
      edits(associate({ supportedCurrencies: ['USD', 'usd', 'EURO'] })),
      [
        'edits[0].associationConfig.supportedCurrencies[1]',
        'edits[0].associationConfig.supportedCurrencies[2]',
      ],
    ],
    [
      'a non-boolean flag',
      edits(associate({ deferredRevenue: 'yes', allowOngoingCycleUpdates: 1 })),
      [
        'edits[0].associationConfig.deferredRevenue',
        'edits[0].associationConfig.allowOngoingCycleUpdates',
      ],
    ],
    [
      'an unknown pricingCycleConfig key',
      edits(associate({ pricingCycleConfig: { ...cycle, every: 2 } })),
      ['edits[0].associationConfig.pricingCycleConfig.every'],
    ],
    [
      'pricingRules not an array',
      edits(associate({ pricingRules: {} })),
      ['edits[0].associationConfig.pricingRules'],
    ],
    [
      'a pricing rule off the seed shape',
      edits(
        associate({
          pricingRules: [
            {
              id: 'r',
              name: 'n',
              version: 0,
              order: 1,
              computation: 'x',
              action: { type: 'DROP' },
              extra: 1,
            },
          ],
        }),
      ),
      [
        'edits[0].associationConfig.pricingRules[0].version',
        'edits[0].associationConfig.pricingRules[0].action.type',
        'edits[0].associationConfig.pricingRules[0].extra',
      ],
    ],
    [
      'an empty computation',
      edits(
        associate({
          pricingRules: [
            { id: 'r', name: 'n', version: 1, order: 1, computation: '', action: { type: 'ADD' } },
          ],
        }),
      ),
      ['edits[0].associationConfig.pricingRules[0].computation'],
    ],
  ])('refuses %s', (_name, body, fields) => {
    expect(fieldsOf(EditAccountSchedules.schema, body)).toEqual(fields);
  });
});

describe('FinalizeAccountSchedules schema', () => {
  const grant = (config: Record<string, unknown>) => ({
    preActions: [{ type: 'GRANT_LICENSE', config }],
  });

  it('accepts the README example and an absent body as {}', () => {
    expect(fieldsOf(FinalizeAccountSchedules.schema, {})).toEqual([]);
    expect(
      fieldsOf(
        FinalizeAccountSchedules.schema,
        grant({ licenseId: 'seats', updateType: 'RELATIVE', quantity: '5' }),
      ),
    ).toEqual([]);
  });

  it.each<[string, unknown, string[]]>([
    [
      'an unknown type',
      {
        preActions: [
          { type: 'REVOKE', config: { licenseId: 'l', updateType: 'ABSOLUTE', quantity: 1 } },
        ],
      },
      ['preActions[0].type'],
    ],
    ['no config', { preActions: [{ type: 'GRANT_LICENSE' }] }, ['preActions[0].config']],
    [
      'a missing licenseId',
      grant({ updateType: 'ABSOLUTE', quantity: 1 }),
      ['preActions[0].config.licenseId'],
    ],
    [
      'a blank licenseId',
      grant({ licenseId: '', updateType: 'ABSOLUTE', quantity: 1 }),
      ['preActions[0].config.licenseId'],
    ],
    [
      'a bad updateType',
      grant({ licenseId: 'l', updateType: 'SET', quantity: 1 }),
      ['preActions[0].config.updateType'],
    ],
    [
      'a missing updateType',
      grant({ licenseId: 'l', quantity: 1 }),
      ['preActions[0].config.updateType'],
    ],
    [
      'an unknown config field',
      grant({ licenseId: 'l', updateType: 'ABSOLUTE', quantity: 1, note: 'x' }),
      ['preActions[0].config.note'],
    ],
    [
      'a bad effectiveFrom',
      grant({
        licenseId: 'l',
        updateType: 'ABSOLUTE',
        quantity: 1,
        effectiveFrom: '2024-01-01T00:00:00+24:00',
      }),
      ['preActions[0].config.effectiveFrom'],
    ],
    ['mergeSchedules not a boolean', { mergeSchedules: 'yes' }, ['mergeSchedules']],
    ['an unknown field', { merge: true }, ['merge']],
  ])('refuses %s', (_name, body, fields) => {
    expect(fieldsOf(FinalizeAccountSchedules.schema, body)).toEqual(fields);
  });
});
