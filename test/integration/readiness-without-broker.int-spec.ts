import { freePort } from '../support/service-process';
import { scheduleBody } from '../support/test-app';
import { dropDatabase, uniqueName } from './support/infra';
import { startProductionApp, waitFor } from './support/production';

const sample = (metrics: string, pattern: RegExp) =>
  Number(
    metrics
      .split('\n')
      .find((line) => pattern.test(line))
      ?.split(' ')
      .pop() ?? NaN,
  );

describe('readiness with no broker reachable (real FerretDB, KAFKA_BROKERS at a dead port)', () => {
  const db = uniqueName('noready');
  let api: Awaited<ReturnType<typeof startProductionApp>>;
  let brokers: string;

  beforeAll(async () => {
    brokers = `127.0.0.1:${await freePort()}`;
    api = await startProductionApp(db, uniqueName('schedule-events'), { KAFKA_BROKERS: brokers });
  });
  afterAll(async () => {
    await api?.close();
    await dropDatabase(db);
  });

  it('stays ready (200) because the store answers, reports the broker down, and takes commands', async () => {
    const ready = await api.http().get('/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.status).toBe('ok');
    expect(ready.body.info.store).toEqual({ status: 'up' });
    expect(ready.body.info.broker.status).toBe('down');
    expect(ready.body.details.broker.status).toBe('down');

    const created = await api
      .http()
      .post('/v0/billingSchedules')
      .set(api.auth())
      .send(scheduleBody());
    expect(created.status).toBe(201);
    const patched = await api
      .http()
      .patch(`/v0/billingSchedules/${created.body.id}`)
      .set(api.auth())
      .send({ metadata: { tier: 'gold' } });
    expect(patched.status).toBe(200);
    const fetched = await api.http().get(`/v0/billingSchedules/${created.body.id}`).set(api.auth());
    expect(fetched.body.metadata).toEqual({ tier: 'gold' });

    const metrics = (await api.http().get('/metrics')).text;
    expect(sample(metrics, new RegExp(`^broker_up\\{brokers="${brokers}"\\} `))).toBe(0);
    expect(sample(metrics, /^events_appended_total\{type="BillingScheduleCreated"\} /)).toBe(1);
    // The relay cannot publish: its lag counts both events and ages.
    await waitFor(
      'the relay to report its lag',
      async () =>
        sample((await api.http().get('/metrics')).text, /^outbox_relay_lag_events /) === 2,
      30_000,
    );
    const lagSeconds = sample(
      (await api.http().get('/metrics')).text,
      /^outbox_relay_lag_seconds /,
    );
    expect(lagSeconds).toBeGreaterThan(0);
    expect(lagSeconds).toBeLessThan(120);
  });
});
