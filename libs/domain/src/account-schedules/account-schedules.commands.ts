/**
 * Client input as the API hands it over. The API checks JSON types; everything the contract
 * says about values (dates, presence rules, pricing cycles, pre-actions) is checked by decide,
 * which therefore accepts loosely typed input.
 */
export interface AssociationConfigInput {
  pricePlanId: string;
  pricePlanInfo: { name: string; description?: string };
  pricingCycleConfig: unknown;
  supportedCurrencies: string[];
  deferredRevenue?: boolean;
  allowOngoingCycleUpdates?: boolean;
  pricingRules?: unknown[];
}

export interface EditInput {
  mode: string;
  /** `YYYY-MM-DD`, or an RFC 3339 date-time at exactly midnight UTC. */
  effectiveFrom: string;
  /** Exclusive; absent or null = open-ended. */
  effectiveUntil?: string | null;
  associationConfig?: AssociationConfigInput | null;
}

export interface PreActionInput {
  type: string;
  config?: Record<string, unknown> | null;
}

export type AccountSchedulesCommand =
  | { type: 'EditAccountSchedules'; edits: EditInput[]; discard?: boolean }
  | { type: 'FinalizeAccountSchedules'; mergeSchedules?: boolean; preActions?: PreActionInput[] }
  | { type: 'DiscardAccountSchedules' };

/** What a decision needs from the outside world, passed in so decide stays pure. */
export interface AccountSchedulesDecisionContext {
  /** The command's time, ISO UTC. */
  now: string;
  /** `sch.` + 24 base62 characters. */
  newId: (prefix: 'sch') => string;
}
