import { describeTimeTravel } from '../support/time-travel';
import { dropDatabase, uniqueName } from './support/infra';
import { startProductionApp } from './support/production';

/** ?asOf on MongoDB read models and the MongoDB event store (tenant reads by its index). */
const db = uniqueName('time_travel');
let app: Awaited<ReturnType<typeof startProductionApp>> | undefined;

describeTimeTravel(
  'MongoDB + Kafka',
  async () => {
    app = await startProductionApp(db, uniqueName('time-travel-events'));
    return app;
  },
  { exactInstants: false },
);

afterAll(async () => {
  await app?.close();
  await dropDatabase(db);
});
