export * from './billing-schedules/billing-schedule-read-model.port';
export * from './billing-schedules/in-memory-billing-schedule-read-model';
export * from './billing-schedules/mongo-billing-schedule-read-model';
export * from './billing-schedules/sqlite-billing-schedule-read-model';
export * from './account-schedules/account-schedules-read-model.port';
export * from './account-schedules/in-memory-account-schedules-read-model';
export * from './account-schedules/mongo-account-schedules-read-model';
export * from './account-schedules/sqlite-account-schedules-read-model';
export * from './billing-periods/billing-periods-read-model.port';
export * from './billing-periods/in-memory-billing-periods-read-model';
export * from './billing-periods/mongo-billing-periods-read-model';
export * from './billing-periods/sqlite-billing-periods-read-model';
export * from './projection-gap-error';
export { CHECKPOINTS_COLLECTION } from './mongo/mongo-projection-support';
export { CHECKPOINTS_TABLE } from './sqlite/sqlite-projection-support';
// The contract suites use Jest globals and are not re-exported; specs import them from
// '@app/read-models/read-model.contract'.
export * from './sqlite/rebuild-sqlite-read-models';
export * from './mongo/rebuild-mongo-read-models';
