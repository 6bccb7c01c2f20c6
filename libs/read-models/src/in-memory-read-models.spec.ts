import { InMemoryAccountSchedulesReadModel } from './account-schedules/in-memory-account-schedules-read-model';
import { InMemoryBillingScheduleReadModel } from './billing-schedules/in-memory-billing-schedule-read-model';
import {
  describeAccountSchedulesReadModelContract,
  describeBillingScheduleReadModelContract,
} from './read-model.contract';

describeBillingScheduleReadModelContract('InMemoryBillingScheduleReadModel', async () => ({
  readModel: new InMemoryBillingScheduleReadModel(),
  cleanup: async () => {},
}));

describeAccountSchedulesReadModelContract('InMemoryAccountSchedulesReadModel', async () => ({
  readModel: new InMemoryAccountSchedulesReadModel(),
  cleanup: async () => {},
}));
