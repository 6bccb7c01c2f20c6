export * from './billing-schedule';
export * from './domain-error';
export * from './calendar/calendar';
export * from './calendar/instant';
export * from './periods';
export * from './money';
export * from './pricing-cycles';
export * from './account-schedules';
