import { startTestApp, type TestApp } from './support/test-app';
import { describeTimeTravel } from './support/time-travel';

let app: TestApp | undefined;

describeTimeTravel('embedded store', async () => (app = await startTestApp()));

afterAll(async () => {
  await app?.destroy();
});
