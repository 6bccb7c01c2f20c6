/**
 * Writes docs/asyncapi.yaml: the AsyncAPI document of the default topic, generated from the
 * event schemas (`npm run docs:asyncapi`). test/asyncapi.e2e-spec.ts fails when it is stale.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { asyncApiDocument, toYaml } from '@app/messaging';

const target = join(__dirname, '..', 'docs', 'asyncapi.yaml');
writeFileSync(target, toYaml(asyncApiDocument()));
process.stdout.write(`wrote ${target}\n`);
