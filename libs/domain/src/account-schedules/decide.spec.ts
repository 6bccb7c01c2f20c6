import { InvalidOperation, ValidationFailed } from '../domain-error';
import type {
  AccountSchedulesCommand,
  AccountSchedulesDecisionContext,
  AssociationConfigInput,
  EditInput,
  PreActionInput,
} from './account-schedules.commands';
import type { AccountSchedulesEvent } from './account-schedules.events';
import { emptyAccountSchedules, type AccountSchedulesState } from './account-schedules.state';
import type { PricingCycleConfig } from '../pricing-cycles';
import type { AccountSchedule, PricingRule } from './account-schedules.types';
import { decide } from './decide';
import { evolve, foldAccountSchedules } from './evolve';

function context(now = '2024-06-01T10:00:00Z'): AccountSchedulesDecisionContext {
  let n = 0;
  return { now, newId: (prefix) => `${prefix}.${String(++n).padStart(24, '0')}` };
}

/** Given commands, when a command, then events: the emmett way of testing a decider. */
function given(...commands: AccountSchedulesCommand[]) {
  let state: AccountSchedulesState = emptyAccountSchedules('tenant_1', 'ACC1');
  const ctx = context();
  const apply = (events: AccountSchedulesEvent[]) => {
    for (const event of events) state = evolve(state, event, state.version + 1);
    return events;
  };
  for (const command of commands) apply(decide(command, state, ctx));
  return {
    when: (command: AccountSchedulesCommand) => apply(decide(command, state, ctx)),
    state: () => state,
    /** The field paths a command is refused with; [] when it is accepted. */
    fieldsOf: (command: AccountSchedulesCommand) => {
      try {
        decide(command, state, ctx);
        return [];
      } catch (error) {
        if (!(error instanceof ValidationFailed)) throw error;
        return error.errors.map((e) => e.field);
      }
    },
  };
}

const cycle: PricingCycleConfig = {
  interval: 'MONTHLY',
  startOffset: { dayOffset: '1' },
  gracePeriod: 3,
};
const config = (
  plan: string,
  overrides: Partial<AssociationConfigInput> = {},
): AssociationConfigInput => ({
  pricePlanId: plan,
  pricePlanInfo: { name: `Plan ${plan}` },
  pricingCycleConfig: cycle,
  supportedCurrencies: ['USD'],
  ...overrides,
});
const associate = (
  plan: string,
  from: string,
  until?: string,
  overrides: Partial<AssociationConfigInput> = {},
): EditInput => ({
  mode: 'ASSOCIATE',
  effectiveFrom: from,
  ...(until ? { effectiveUntil: until } : {}),
  associationConfig: config(plan, overrides),
});
const disassociate = (from: string, until?: string): EditInput => ({
  mode: 'DISASSOCIATE',
  effectiveFrom: from,
  ...(until ? { effectiveUntil: until } : {}),
});
const edit = (...edits: EditInput[]): AccountSchedulesCommand => ({
  type: 'EditAccountSchedules',
  edits,
});
const editDiscarding = (...edits: EditInput[]): AccountSchedulesCommand => ({
  type: 'EditAccountSchedules',
  edits,
  discard: true,
});
const finalize = (
  mergeSchedules = false,
  preActions?: PreActionInput[],
): AccountSchedulesCommand => ({
  type: 'FinalizeAccountSchedules',
  mergeSchedules,
  ...(preActions ? { preActions } : {}),
});
const discard: AccountSchedulesCommand = { type: 'DiscardAccountSchedules' };
// Loosely typed on purpose: the value rules (quantity, effectiveFrom) are what is tested here.
const grant = (config: Record<string, unknown>): PreActionInput => ({
  type: 'GRANT_LICENSE',
  config: config as PreActionInput['config'],
});

const day = (d: string) => `${d}T00:00:00Z`;
const windows = (schedules: AccountSchedule[]) =>
  schedules.map((s) => [
    s.pricePlanId,
    s.startDate.slice(0, 10),
    s.endDate.slice(0, 10),
    s.version,
  ]);

describe('account schedules: edit', () => {
  it('stages the documented example: ASSOCIATE P 07-04..10-04, DISASSOCIATE 08-04..09-04', () => {
    const [event] = given().when(
      edit(associate('P', '2024-07-04', '2024-10-04'), disassociate('2024-08-04', '2024-09-04')),
    );
    expect(event.type).toBe('AccountScheduleEditsStaged');
    if (event.type !== 'AccountScheduleEditsStaged') return;
    expect(windows(event.data.draft.schedules)).toEqual([
      ['P', '2024-07-04', '2024-08-04', 1],
      ['P', '2024-09-04', '2024-10-04', 1],
    ]);
    // The edits applied are in the event too, canonical, open end filled in, defaults applied.
    expect(event.data.edits).toEqual([
      {
        mode: 'ASSOCIATE',
        effectiveFrom: day('2024-07-04'),
        effectiveUntil: day('2024-10-04'),
        associationConfig: {
          pricePlanId: 'P',
          pricePlanInfo: { name: 'Plan P' },
          pricingCycleConfig: cycle,
          supportedCurrencies: ['USD'],
          deferredRevenue: false,
          allowOngoingCycleUpdates: false,
        },
        scheduleId: expect.stringMatching(/^sch\./),
      },
      { mode: 'DISASSOCIATE', effectiveFrom: day('2024-08-04'), effectiveUntil: day('2024-09-04') },
    ]);
    expect(event.data.draft.edits).toEqual(event.data.edits);
  });

  it('answers windows in the seed AccountSchedule shape; an absent effectiveUntil is open-ended', () => {
    const s = given();
    s.when(
      edit(
        associate('P', '2024-01-01', undefined, {
          pricePlanInfo: { name: 'Pro', description: 'd' },
          deferredRevenue: true,
        }),
      ),
    );
    const [window] = s.state().draft!.schedules;
    expect(window).toEqual({
      id: expect.stringMatching(/^sch\./),
      accountId: 'ACC1',
      pricePlanId: 'P',
      version: 1,
      deferredRevenue: true,
      pricePlanInfo: { name: 'Pro', description: 'd' },
      accountScheduleInfo: { supportedCurrencies: ['USD'], pricingCycleConfig: cycle },
      startDate: '2024-01-01T00:00:00Z',
      endDate: '9999-01-01T00:00:00Z',
      allowOngoingCycleUpdates: false,
    });
  });

  it('carving splits a window: the left piece keeps the id, the right piece gets a new sch. id', () => {
    const s = given(edit(associate('P', '2024-01-01', '2024-12-01')));
    const [original] = s.state().draft!.schedules;
    s.when(edit(associate('Q', '2024-05-01', '2024-06-01')));
    const [left, middle, right] = s.state().draft!.schedules;
    expect(windows([left, middle, right])).toEqual([
      ['P', '2024-01-01', '2024-05-01', 1],
      ['Q', '2024-05-01', '2024-06-01', 1],
      ['P', '2024-06-01', '2024-12-01', 1],
    ]);
    expect(left.id).toBe(original.id);
    expect(right.id).toMatch(/^sch\./);
    expect(new Set([left.id, middle.id, right.id]).size).toBe(3);
  });

  it('trims a window cut on one side only, keeping its id; removes one covered whole', () => {
    const s = given(
      edit(associate('P', '2024-01-01', '2024-03-01'), associate('Q', '2024-03-01', '2024-05-01')),
    );
    const [p, q] = s.state().draft!.schedules;
    s.when(edit(associate('R', '2024-02-01', '2024-04-01')));
    const after = s.state().draft!.schedules;
    expect(windows(after)).toEqual([
      ['P', '2024-01-01', '2024-02-01', 1],
      ['R', '2024-02-01', '2024-04-01', 1],
      ['Q', '2024-04-01', '2024-05-01', 1],
    ]);
    expect([after[0].id, after[2].id]).toEqual([p.id, q.id]);
    s.when(edit(disassociate('2023-01-01')));
    expect(s.state().draft!.schedules).toEqual([]);
  });

  it('starts the draft EMPTY, not as a copy of ACTIVE, and accumulates edits across calls', () => {
    const s = given(edit(associate('A', '2024-01-01', '2025-01-01')), finalize());
    s.when(edit(associate('B', '2024-03-01', '2024-04-01')));
    s.when(edit(associate('C', '2024-04-01', '2024-05-01')));
    const draft = s.state().draft!;
    expect(windows(draft.schedules)).toEqual([
      ['B', '2024-03-01', '2024-04-01', 2],
      ['C', '2024-04-01', '2024-05-01', 2],
    ]);
    expect(draft.edits.map((e) => e.associationConfig?.pricePlanId)).toEqual(['B', 'C']);
  });

  it('discard=true drops the existing draft before applying the edits', () => {
    const s = given(edit(associate('A', '2024-01-01', '2024-02-01')));
    const [event] = s.when(editDiscarding(associate('B', '2024-03-01', '2024-04-01')));
    expect(event.data).toMatchObject({ discardedPreviousDraft: true });
    expect(windows(s.state().draft!.schedules)).toEqual([['B', '2024-03-01', '2024-04-01', 1]]);
    expect(s.state().draft!.edits).toHaveLength(1);
    const [fresh] = given().when(editDiscarding(associate('B', '2024-03-01')));
    expect(fresh.data).toMatchObject({ discardedPreviousDraft: false });
  });

  it('accepts an RFC 3339 date-time only at exactly midnight UTC', () => {
    const s = given();
    s.when(edit(associate('P', '2024-07-04T00:00:00Z', '2024-08-04T02:00:00+02:00')));
    expect(windows(s.state().draft!.schedules)).toEqual([['P', '2024-07-04', '2024-08-04', 1]]);
    expect(s.fieldsOf(edit(associate('P', '2024-07-04T10:00:00Z')))).toEqual([
      'edits[0].effectiveFrom',
    ]);
    expect(s.fieldsOf(edit(associate('P', '2024-07-04T00:00:00+02:00')))).toEqual([
      'edits[0].effectiveFrom',
    ]);
  });
});

describe('account schedules: edit validation (SPEC §4, field paths)', () => {
  const s = given();
  const cfg = (o: Partial<AssociationConfigInput>) =>
    edit(associate('P', '2024-01-01', undefined, o));

  it.each<[string, AccountSchedulesCommand, string[]]>([
    [
      'a missing effectiveFrom',
      edit({ mode: 'DISASSOCIATE' } as EditInput),
      ['edits[0].effectiveFrom'],
    ],
    ['a malformed effectiveFrom', edit(disassociate('2024-13-01')), ['edits[0].effectiveFrom']],
    ['an impossible day', edit(disassociate('2023-02-29')), ['edits[0].effectiveFrom']],
    ['effectiveFrom at the open end', edit(disassociate('9999-01-01')), ['edits[0].effectiveFrom']],
    [
      'a malformed effectiveUntil',
      edit(disassociate('2024-01-01', '01/02/2024')),
      ['edits[0].effectiveUntil'],
    ],
    [
      'effectiveUntil equal to effectiveFrom',
      edit(disassociate('2024-01-01', '2024-01-01')),
      ['edits[0].effectiveUntil'],
    ],
    [
      'effectiveUntil before effectiveFrom',
      edit(associate('P', '2024-02-01', '2024-01-01')),
      ['edits[0].effectiveUntil'],
    ],
    [
      'effectiveUntil past the open end',
      edit(disassociate('2024-01-01', '9999-02-01')),
      ['edits[0].effectiveUntil'],
    ],
    [
      'ASSOCIATE without associationConfig',
      edit({ mode: 'ASSOCIATE', effectiveFrom: '2024-01-01' }),
      ['edits[0].associationConfig'],
    ],
    [
      'DISASSOCIATE with associationConfig',
      edit({ ...disassociate('2024-01-01'), associationConfig: config('P') }),
      ['edits[0].associationConfig'],
    ],
    [
      'a duplicate currency',
      cfg({ supportedCurrencies: ['USD', 'USD'] }),
      ['edits[0].associationConfig.supportedCurrencies[1]'],
    ],
    [
      'a missing pricingCycleConfig',
      cfg({ pricingCycleConfig: undefined as never }),
      ['edits[0].associationConfig.pricingCycleConfig'],
    ],
    [
      'a bad interval',
      cfg({ pricingCycleConfig: { ...cycle, interval: 'DAILY' as never } }),
      ['edits[0].associationConfig.pricingCycleConfig.interval'],
    ],
    [
      'a WEEKLY dayOffset of 8',
      cfg({
        pricingCycleConfig: { interval: 'WEEKLY', startOffset: { dayOffset: '8' }, gracePeriod: 0 },
      }),
      ['edits[0].associationConfig.pricingCycleConfig.startOffset.dayOffset'],
    ],
    [
      'a QUARTERLY monthOffset of 4',
      cfg({
        pricingCycleConfig: {
          interval: 'QUARTERLY',
          startOffset: { dayOffset: '1', monthOffset: '4' },
          gracePeriod: 0,
        },
      }),
      ['edits[0].associationConfig.pricingCycleConfig.startOffset.monthOffset'],
    ],
  ])('refuses %s', (_, command, fields) => {
    expect(s.fieldsOf(command)).toEqual(fields);
  });

  it('reports every bad edit with its index, and changes nothing', () => {
    const scenario = given(edit(associate('A', '2024-01-01')));
    const before = scenario.state();
    expect(
      scenario.fieldsOf(
        edit(associate('P', '2024-01-01'), disassociate('nope'), {
          mode: 'ASSOCIATE',
          effectiveFrom: '2024-01-01',
        }),
      ),
    ).toEqual(['edits[1].effectiveFrom', 'edits[2].associationConfig']);
    expect(scenario.state()).toBe(before);
  });

  it('accepts a valid pricing rule and keeps it on the window', () => {
    const rule: PricingRule = {
      id: 'r1',
      name: 'Cap',
      version: 1,
      order: 1,
      invoiceTiming: 'IN_ARREARS',
      computation: '{}',
      action: { type: 'ADD', metadata: { k: 'v' } },
    };
    const scenario = given();
    scenario.when(cfg({ pricingRules: [rule] }));
    expect(scenario.state().draft!.schedules[0].accountScheduleInfo.pricingRules).toEqual([rule]);
  });
});

describe('account schedules: finalize', () => {
  it('with no draft is an invalid operation', () => {
    expect(() => given().when(finalize())).toThrow(InvalidOperation);
    expect(() => given(edit(associate('A', '2024-01-01')), discard).when(finalize())).toThrow(
      InvalidOperation,
    );
  });

  it('mergeSchedules=false: the draft windows replace the whole ACTIVE timeline', () => {
    const s = given(
      edit(associate('A', '2024-01-01', '2024-06-01'), associate('B', '2024-06-01', '2025-01-01')),
      finalize(),
    );
    expect(windows(s.state().active)).toEqual([
      ['A', '2024-01-01', '2024-06-01', 1],
      ['B', '2024-06-01', '2025-01-01', 1],
    ]);
    const draftIds = s.state().active.map((x) => x.id);
    s.when(edit(associate('C', '2024-03-01', '2024-04-01')));
    const [event] = s.when(finalize(false));
    expect(windows(s.state().active)).toEqual([['C', '2024-03-01', '2024-04-01', 2]]);
    expect(event.data).toMatchObject({
      finalizeCount: 2,
      mergeSchedules: false,
      removedScheduleIds: draftIds,
    });
    expect(s.state().draft).toBeNull();
    expect(s.state().finalizeCount).toBe(2);
  });

  it('keeps the draft ids on ACTIVE, so a window read in the draft is found after finalize', () => {
    const s = given(edit(associate('A', '2024-01-01', '2024-06-01')));
    const [draftWindow] = s.state().draft!.schedules;
    s.when(finalize());
    expect(s.state().active[0]).toEqual(draftWindow);
  });

  it('mergeSchedules=true carving a new plan into an old one: A, B, A with the right dates and versions', () => {
    const s = given(edit(associate('A', '2024-01-01', '2024-12-31')), finalize());
    const [oldA] = s.state().active;
    s.when(edit(associate('B', '2024-06-01', '2024-07-01')));
    const [draftB] = s.state().draft!.schedules;
    const [event] = s.when(finalize(true));
    const active = s.state().active;
    expect(windows(active)).toEqual([
      ['A', '2024-01-01', '2024-06-01', 2],
      ['B', '2024-06-01', '2024-07-01', 2],
      ['A', '2024-07-01', '2024-12-31', 2],
    ]);
    expect(active[0].id).toBe(oldA.id);
    expect(active[1].id).toBe(draftB.id);
    expect(active[2].id).not.toBe(oldA.id);
    expect(event.data).toMatchObject({
      finalizeCount: 2,
      mergeSchedules: true,
      removedScheduleIds: [],
    });
  });

  it('mergeSchedules=true keeps untouched windows and their version, and coalesces same-plan neighbours', () => {
    const s = given(
      edit(associate('A', '2024-01-01', '2024-03-01'), associate('B', '2024-03-01', '2024-06-01')),
      finalize(),
    );
    const [a, b] = s.state().active;
    // A is extended by an identical A window; B is not touched.
    s.when(edit(associate('A', '2024-06-01', '2024-09-01')));
    s.when(finalize(true));
    expect(windows(s.state().active)).toEqual([
      ['A', '2024-01-01', '2024-03-01', 1],
      ['B', '2024-03-01', '2024-06-01', 1],
      ['A', '2024-06-01', '2024-09-01', 2],
    ]);
    expect(s.state().active.slice(0, 2)).toEqual([a, b]);
    // Replacing B by A makes three touching A windows with identical config: one window.
    s.when(edit(associate('A', '2024-03-01', '2024-06-01')));
    const [event] = s.when(finalize(true));
    expect(windows(s.state().active)).toEqual([['A', '2024-01-01', '2024-09-01', 3]]);
    expect(s.state().active[0].id).toBe(a.id);
    expect(event.data).toMatchObject({ removedScheduleIds: expect.arrayContaining([b.id]) });
  });

  it('mergeSchedules=true does not coalesce the same plan with a different config', () => {
    const s = given(edit(associate('A', '2024-01-01', '2024-03-01')), finalize());
    s.when(edit(associate('A', '2024-03-01', '2024-06-01', { supportedCurrencies: ['EUR'] })));
    s.when(finalize(true));
    expect(windows(s.state().active)).toEqual([
      ['A', '2024-01-01', '2024-03-01', 1],
      ['A', '2024-03-01', '2024-06-01', 2],
    ]);
  });

  it('mergeSchedules=true replays DISASSOCIATE onto ACTIVE', () => {
    const s = given(edit(associate('A', '2024-01-01', '2025-01-01')), finalize());
    s.when(edit(disassociate('2024-07-04', '2024-08-04')));
    s.when(finalize(true));
    expect(windows(s.state().active)).toEqual([
      ['A', '2024-01-01', '2024-07-04', 2],
      ['A', '2024-08-04', '2025-01-01', 2],
    ]);
  });
});

describe('account schedules: pre-actions and licenses', () => {
  it('RELATIVE adds to the current quantity (0 if none), ABSOLUTE sets it, in order', () => {
    const s = given(edit(associate('A', '2024-01-01')));
    s.when(
      finalize(false, [
        grant({ licenseId: 'seats', updateType: 'RELATIVE', quantity: '5' }),
        grant({ licenseId: 'seats', updateType: 'RELATIVE', quantity: 3 }),
        grant({
          licenseId: 'admins',
          updateType: 'ABSOLUTE',
          quantity: 2,
          effectiveFrom: '2024-02-01',
        }),
      ]),
    );
    expect(s.state().licenses).toEqual({
      seats: {
        licenseId: 'seats',
        quantity: 8,
        effectiveFrom: '2024-06-01T10:00:00Z',
        updatedAt: '2024-06-01T10:00:00Z',
      },
      admins: {
        licenseId: 'admins',
        quantity: 2,
        effectiveFrom: '2024-02-01T00:00:00Z',
        updatedAt: '2024-06-01T10:00:00Z',
      },
    });
    s.when(edit(associate('B', '2024-01-01')));
    const [event] = s.when(
      finalize(true, [
        grant({ licenseId: 'seats', updateType: 'ABSOLUTE', quantity: '1' }),
        grant({ licenseId: 'admins', updateType: 'RELATIVE', quantity: 0 }),
      ]),
    );
    expect(s.state().licenses.seats.quantity).toBe(1);
    expect(s.state().licenses.admins.quantity).toBe(2);
    // The event carries every license after the pre-actions, not only the granted ones.
    if (event.type !== 'AccountSchedulesFinalized') throw new Error(event.type);
    expect(event.data.licenses.map((l) => [l.licenseId, l.quantity])).toEqual([
      ['admins', 2],
      ['seats', 1],
    ]);
  });

  it('a bad pre-action is refused first (even without a draft) and leaves the state unchanged', () => {
    const s = given(edit(associate('A', '2024-01-01')));
    const before = s.state();
    expect(
      s.fieldsOf(
        finalize(false, [grant({ licenseId: 'seats', updateType: 'RELATIVE', quantity: '-1' })]),
      ),
    ).toEqual(['preActions[0].config.quantity']);
    expect(s.state()).toBe(before);
  });

  it.each<[string, PreActionInput[], string[]]>([
    [
      'a missing quantity',
      [grant({ licenseId: 'l', updateType: 'ABSOLUTE' })],
      ['preActions[0].config.quantity'],
    ],
    [
      'a fractional quantity',
      [grant({ licenseId: 'l', updateType: 'ABSOLUTE', quantity: '1.5' })],
      ['preActions[0].config.quantity'],
    ],
    [
      'a negative quantity',
      [grant({ licenseId: 'l', updateType: 'ABSOLUTE', quantity: -1 })],
      ['preActions[0].config.quantity'],
    ],
    [
      'a bad effectiveFrom',
      [grant({ licenseId: 'l', updateType: 'ABSOLUTE', quantity: 1, effectiveFrom: 'soon' })],
      ['preActions[0].config.effectiveFrom'],
    ],
    [
      'a sum beyond a safe integer',
      [
        grant({ licenseId: 'l', updateType: 'ABSOLUTE', quantity: Number.MAX_SAFE_INTEGER }),
        grant({ licenseId: 'l', updateType: 'RELATIVE', quantity: 1 }),
      ],
      ['preActions[1].config.quantity'],
    ],
  ])('refuses %s', (_, preActions, fields) => {
    expect(given(edit(associate('A', '2024-01-01'))).fieldsOf(finalize(false, preActions))).toEqual(
      fields,
    );
  });
});

describe('account schedules: discard and evolve', () => {
  it('discard clears the draft; without a draft it decides nothing', () => {
    const s = given(edit(associate('A', '2024-01-01')));
    const [event] = s.when(discard);
    expect(event).toMatchObject({ type: 'AccountScheduleDraftDiscarded', schemaVersion: 1 });
    expect(s.state().draft).toBeNull();
    expect(s.when(discard)).toEqual([]);
  });

  it('discard leaves ACTIVE and licenses alone', () => {
    const s = given(
      edit(associate('A', '2024-01-01')),
      finalize(false, [grant({ licenseId: 'l', updateType: 'ABSOLUTE', quantity: 4 })]),
    );
    const { active, licenses } = s.state();
    s.when(edit(associate('B', '2024-01-01')));
    s.when(discard);
    expect(s.state()).toMatchObject({ active, licenses, finalizeCount: 1, draft: null });
  });

  it('every event is schemaVersion 1 and self-contained: folding the events alone rebuilds the state', () => {
    const events: AccountSchedulesEvent[] = [];
    const s = given();
    const record = (command: AccountSchedulesCommand) => events.push(...s.when(command));
    record(edit(associate('A', '2024-01-01', '2024-12-31')));
    record(finalize(false, [grant({ licenseId: 'l', updateType: 'RELATIVE', quantity: 2 })]));
    record(edit(associate('B', '2024-06-01', '2024-07-01')));
    record(finalize(true));
    record(edit(disassociate('2024-01-01')));
    expect(events.every((e) => e.schemaVersion === 1)).toBe(true);
    const rebuilt = foldAccountSchedules(
      'tenant_1',
      'ACC1',
      events.map((event, i) => ({ event, version: i + 1 })),
    );
    expect(rebuilt).toEqual(s.state());
    expect(rebuilt.version).toBe(5);
  });
});
