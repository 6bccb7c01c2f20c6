import { loadConfig } from './app-config';

describe('loadConfig: operability settings', () => {
  it('defaults to info logs, 6000 requests per tenant and 100 failed authentications per minute', () => {
    expect(loadConfig({})).toMatchObject({
      logLevel: 'info',
      rateLimitPerMinute: 6000,
      authFailureLimitPerMinute: 100,
    });
  });

  it.each(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'])(
    'takes LOG_LEVEL=%s',
    (level) => {
      expect(loadConfig({ LOG_LEVEL: level }).logLevel).toBe(level);
    },
  );

  it('refuses an unknown LOG_LEVEL and limits that are not positive whole numbers', () => {
    expect(() => loadConfig({ LOG_LEVEL: 'verbose' })).toThrow(/LOG_LEVEL must be one of/);
    expect(() => loadConfig({ RATE_LIMIT_PER_MINUTE: '0' })).toThrow(/at least 1/);
    expect(() => loadConfig({ AUTH_FAILURE_LIMIT_PER_MINUTE: '1.5' })).toThrow(/whole number/);
    expect(loadConfig({ RATE_LIMIT_PER_MINUTE: '10' }).rateLimitPerMinute).toBe(10);
  });
});
