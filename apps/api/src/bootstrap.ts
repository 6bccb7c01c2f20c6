import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { cleanupOpenApiDoc } from 'nestjs-zod';
import type { DestinationStream } from 'pino';
import { randomBytes } from 'node:crypto';
import { register } from 'prom-client';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppModule } from './app.module';
import { ApiKeys } from './common/auth/api-keys';
import { answerFrameworkError } from './common/errors/api-exception.filter';
import { ErrorResponseDto } from './common/errors/error-response.dto';
import { answerUnroutedBeforeBody } from './common/http/registered-routes';
import { securityHeaders } from './common/http/security-headers';
import { acceptJsonBodies } from './common/request/json-body';
import { recordRequestFacts, requestIdOf } from './common/request/request-context';
import type { AppConfig } from './config/app-config';

export const DEVELOPMENT_TENANT = 'dev_merchant';

export interface StartedApp {
  app: NestFastifyApplication;
  /** Set in embedded mode without API_KEYS. */
  developmentKey?: string;
}

export interface CreateAppOptions {
  /** Where the JSON log lines go (default stdout); tests pass a stream to read them. */
  logDestination?: DestinationStream;
}

export async function createApp(
  config: AppConfig,
  options: CreateAppOptions = {},
): Promise<StartedApp> {
  const { keys, developmentKey, keyFile } = await resolveApiKeys(config);
  // prom-client's registry is process-wide; a second app in one process (tests) starts clean.
  register.clear();
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config, keys, { logDestination: options.logDestination }),
    new FastifyAdapter({
      genReqId: requestIdOf,
      frameworkErrors: answerFrameworkError,
      // `/v0/billingSchedules/` is `/v0/billingSchedules`, and a path parameter is as long as
      // the URL lets it be (a too-long id is a 4xx from its rules, not a 404 from the router).
      routerOptions: { ignoreTrailingSlash: true, maxParamLength: MAX_URL_LENGTH },
      // Node's own default, which Fastify turns off: a request still arriving after five
      // minutes is cut off.
      requestTimeout: 300_000,
    }),
    { bodyParser: false, abortOnError: false, bufferLogs: true },
  );
  app.useLogger(app.get(Logger));
  app.flushLogs(); // NestFactory.create does not flush the buffer on useLogger by itself
  if (keyFile)
    app
      .get(Logger)
      .log(`development API key for tenant ${DEVELOPMENT_TENANT} in ${keyFile}`, 'Bootstrap');
  const fastify = app.getHttpAdapter().getInstance();
  recordRequestFacts(fastify);
  acceptJsonBodies(fastify);
  answerUnroutedBeforeBody(fastify);
  await securityHeaders(fastify); // before any route: the docs routes get their own CSP
  app.enableShutdownHooks();
  setUpOpenApi(app);
  return { app, developmentKey };
}

/** Node's default limit on the request head (--max-http-header-size), which holds the URL. */
const MAX_URL_LENGTH = 16 * 1024;

function setUpOpenApi(app: NestFastifyApplication): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Billing schedules service')
      .setDescription(
        'Event-sourced billing schedules (Paygentic /v0), account schedules (Togai /v2) and ' +
          'the billing-period task (Flexprice /v1). Errors use errors.ErrorResponse.',
      )
      .setVersion('0.1.0')
      // API keys, not JWTs: addBearerAuth would add `bearerFormat: JWT`.
      .addSecurity('bearer', {
        type: 'http',
        scheme: 'bearer',
        description: 'API key as a bearer token: `Authorization: Bearer <key>`',
      })
      .addApiKey(
        { type: 'apiKey', name: 'x-api-key', in: 'header', description: 'API key' },
        'ApiKeyAuth',
      )
      .build(),
    { extraModels: [ErrorResponseDto] },
  );
  // nestjs-zod: turns the zod schemas' JSON Schema into OpenAPI 3.0 (nullable, $refs by id).
  SwaggerModule.setup('docs', app, finishOpenApi30(cleanupOpenApiDoc(document)), {
    jsonDocumentUrl: 'openapi.json',
    yamlDocumentUrl: 'openapi.yaml',
  });
}

/**
 * What cleanupOpenApiDoc leaves of JSON Schema 2020-12 in an OpenAPI 3.0 document: a
 * `propertyNames` inside a nullable record, and `type: [T, "null"]` from a bare nullable.
 */
function finishOpenApi30<T>(node: T): T {
  if (Array.isArray(node)) node.forEach(finishOpenApi30);
  else if (node !== null && typeof node === 'object') {
    const schema = node as Record<string, unknown>;
    delete schema.propertyNames;
    if (Array.isArray(schema.type) && schema.type.includes('null')) {
      const [type, ...others] = schema.type.filter((t) => t !== 'null');
      if (others.length === 0) Object.assign(schema, { type, nullable: true });
    }
    Object.values(schema).forEach(finishOpenApi30);
  }
  return node;
}

/**
 * API_KEYS when given. In embedded mode without it, one development key kept in DATA_DIR so
 * that it survives restarts.
 */
async function resolveApiKeys(
  config: AppConfig,
): Promise<{ keys: ApiKeys; developmentKey?: string; keyFile?: string }> {
  if (config.apiKeys) return { keys: ApiKeys.parse(config.apiKeys) };
  const file = join(config.dataDir, 'development-api-key');
  await mkdir(config.dataDir, { recursive: true });
  const existing = await readFile(file, 'utf8').catch(() => '');
  const developmentKey = existing.trim() || `dev_${randomBytes(18).toString('base64url')}`;
  if (!existing.trim()) await writeFile(file, `${developmentKey}\n`, { mode: 0o600 });
  return {
    keys: new ApiKeys([[developmentKey, DEVELOPMENT_TENANT]]),
    developmentKey,
    keyFile: file,
  };
}
