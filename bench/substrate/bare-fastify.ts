/**
 * The HTTP substrate: a bare Fastify server (no Nest, no plugins) in its own process, as the
 * service runs in its own. POST /parse parses the JSON body (Fastify's own parser, the same
 * body limit) and answers with the service's create response bytes; GET /bytes/<name> serves
 * the file BYTES_DIR/<name>.json as it is, so both sides put the same bytes on the wire.
 */
import Fastify from 'fastify';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.env.BYTES_DIR ?? '.';
const bytes = new Map(
  readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .map((file) => [file.slice(0, -'.json'.length), readFileSync(join(dir, file))]),
);
const created = bytes.get('create') ?? Buffer.from('{}');

const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 });
app.get('/ready', async () => ({ ok: true }));
app.post('/parse', (request, reply) => {
  if (typeof request.body !== 'object' || request.body === null) {
    return reply.code(400).send({ error: 'not a JSON object' });
  }
  return reply.code(201).type('application/json').send(created);
});
app.get<{ Params: { name: string } }>('/bytes/:name', (request, reply) => {
  const body = bytes.get(request.params.name);
  if (!body) return reply.code(404).send();
  return reply.type('application/json').send(body);
});

app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' }).then(
  () => console.log('bare Fastify listening'),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
