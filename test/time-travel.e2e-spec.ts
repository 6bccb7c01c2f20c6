import { startTestApp, type TestApp } from './support/test-app';
import { describeTimeTravel } from './support/time-travel';

let app: TestApp | undefined;

describeTimeTravel('embedded store', async () => (app = await startTestApp()));

interface Operation {
  parameters?: { name: string; in: string; schema?: { format?: string } }[];
  responses: Record<string, { headers?: Record<string, unknown> }>;
}

describe('time travel in the OpenAPI document', () => {
  let docs: TestApp;
  beforeAll(async () => {
    docs = await startTestApp();
  }, 60_000);
  afterAll(() => docs.destroy());

  it('documents asOf (a strict instant) and the version ETag on every GET of both families', async () => {
    const res = await docs.http().get('/openapi.json');
    const gets = Object.entries(res.body.paths as Record<string, Record<string, Operation>>)
      .filter(([path]) => /^\/v0\/billingSchedules|^\/v2\/accounts\//.test(path))
      .flatMap(([path, item]) => (item.get ? [[path, item.get] as const] : []));
    // /v0: the list, one, intervals, periods, invoices, events; /v2: schedules, licenses, cycles, events
    expect(gets).toHaveLength(10);
    for (const [path, get] of gets) {
      const asOf = get.parameters?.find((p) => p.name === 'asOf' && p.in === 'query');
      expect({ path, format: asOf?.schema?.format }).toEqual({ path, format: 'date-time' });
      if (path !== '/v0/billingSchedules') {
        expect({ path, etag: get.responses['200'].headers?.ETag !== undefined }).toEqual({
          path,
          etag: true,
        });
      }
    }
  });
});

afterAll(async () => {
  await app?.destroy();
});
