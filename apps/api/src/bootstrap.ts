import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
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
import { ErrorResponseDto } from './common/errors/error-response.dto';
import { securityHeaders } from './common/http/security-headers';
import { jsonBodyLimits, jsonParseErrors } from './common/request/json-body';
import type { AppConfig } from './config/app-config';

export const BODY_LIMIT = '1mb';
export const DEVELOPMENT_TENANT = 'dev_merchant';

export interface StartedApp {
  app: INestApplication;
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
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.forRoot(config, keys, { logDestination: options.logDestination }),
    { bodyParser: false, abortOnError: false, bufferLogs: true },
  );
  app.useLogger(app.get(Logger));
  app.flushLogs(); // NestFactory.create does not flush the buffer on useLogger by itself
  if (keyFile)
    app
      .get(Logger)
      .log(`development API key for tenant ${DEVELOPMENT_TENANT} in ${keyFile}`, 'Bootstrap');
  app.disable('x-powered-by');
  app.use(securityHeaders());
  app.useBodyParser('json', { limit: BODY_LIMIT });
  app.use(jsonParseErrors, jsonBodyLimits);
  app.enableShutdownHooks();
  setUpOpenApi(app);
  return { app, developmentKey };
}

function setUpOpenApi(app: INestApplication): void {
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
