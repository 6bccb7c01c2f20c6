export {
  MAX_PRICING_CYCLES,
  PRICING_CYCLE_INTERVALS,
  PricingCycleConfigSchema,
  pricingCycles,
  resolveOffsets,
  validatePricingCycleConfig,
  type PricingCycle,
  type PricingCycleConfig,
  type PricingCycleInterval,
  type ResolvedOffsets,
} from './pricing-cycles';
