import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { API_ROUTES } from '../functions/api-routes.js';
import { buildOpenApi } from '../shared/platform/openapi.js';

/**
 * `node dist/scripts/openapi.js <file>`: writes the dashboard API's OpenAPI document, the same one
 * GET /api/v1/openapi.json serves, for generating the typed client (`npm run client`).
 */
const target = resolve(process.argv[2] ?? 'openapi.json');
mkdirSync(dirname(target), { recursive: true });
writeFileSync(
  target,
  `${JSON.stringify(buildOpenApi(API_ROUTES, process.env.PUBLIC_BASE_URL ?? 'https://api.aliat.app'), null, 2)}\n`,
);
process.stdout.write(`OpenAPI document written to ${target}\n`);
