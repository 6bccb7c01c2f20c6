import autocannon from 'autocannon';

export const CONNECTIONS = 50;

export interface Load {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  requests: number;
}

export interface LoadRequest {
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /** The only status that counts as a success (anything else fails the row). */
  status: number;
}

/**
 * autocannon at 50 connections: a short warm-up (JIT, connection setup), then `seconds`
 * measured. Any error or unexpected status fails the measurement: a fast 4xx is not a figure.
 */
export async function load(request: LoadRequest, seconds: number): Promise<Load> {
  await run(request, Math.max(1, Math.round(seconds / 3)));
  // The warm-up's last requests may still be queued in the server: wait until it answers one
  // more, so the measured run does not start behind them.
  await fetch(request.url, {
    method: request.method,
    headers: request.headers,
    body: request.body,
  });
  let result = await run(request, seconds);
  // A slow endpoint answers too few requests in a short window to be a figure: measure longer.
  if (result.requests.total < 4 * CONNECTIONS) result = await run(request, seconds * 3);
  return {
    requestsPerSecond: result.requests.total / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
  };
}

async function run(request: LoadRequest, seconds: number): Promise<autocannon.Result> {
  let unexpected = 0;
  let firstUnexpected = '';
  let instance!: autocannon.Instance;
  const done = new Promise<autocannon.Result>((resolve, reject) => {
    instance = autocannon(
      {
        url: request.url,
        method: request.method ?? 'GET',
        headers: request.headers,
        body: request.body,
        connections: CONNECTIONS,
        duration: seconds,
        timeout: 30,
      },
      (error: unknown, result: autocannon.Result) => (error ? reject(error) : resolve(result)),
    );
  });
  instance.on('reqError', (error: Error) => {
    if (unexpected++ === 0) firstUnexpected = error.message;
  });
  instance.on('response', (_client: unknown, statusCode: number) => {
    if (statusCode !== request.status && unexpected++ === 0) firstUnexpected = String(statusCode);
  });
  const result = await done;
  if (result.errors > 0 || unexpected > 0 || result.requests.total === 0) {
    throw new Error(
      `${request.method ?? 'GET'} ${request.url}: ${result.errors} errors, ${unexpected} responses other than ${request.status} (first: ${firstUnexpected || '-'})`,
    );
  }
  return result;
}
