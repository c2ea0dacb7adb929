#!/usr/bin/env node
// Regenerate the API types from the server's OpenAPI schema, in two steps:
//   1. manage.py spectacular --validate --fail-on-warn  → src/services/generated/schema.yml
//   2. openapi-typescript (pinned in package.json)      → src/services/generated/schema.d.ts
// Both files are checked in; tests/test_frontend_api_types.py runs this script into a temporary
// folder and fails if the checked-in files differ.
//   npm run gen:api                      (from frontend/)
//   node scripts/gen-api.mjs --out-dir D  write both files into D instead
//   SCF_PYTHON=/path/to/python           another interpreter (default: ../.venv/bin/python)
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const frontend = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const root = resolve(frontend, '..');
const args = process.argv.slice(2);
const outFlag = args.indexOf('--out-dir');
const outDir = outFlag >= 0 ? resolve(args[outFlag + 1]) : join(frontend, 'src', 'services', 'generated');
const python = process.env.SCF_PYTHON ?? join(root, '.venv', 'bin', 'python');
const cli = join(frontend, 'node_modules', 'openapi-typescript', 'bin', 'cli.js');

if (!existsSync(cli)) {
  console.error('gen:api: openapi-typescript is not installed: run `npm ci` in frontend/');
  process.exit(2);
}
mkdirSync(outDir, { recursive: true });
const schema = join(outDir, 'schema.yml');
const types = join(outDir, 'schema.d.ts');
execFileSync(python, ['manage.py', 'spectacular', '--validate', '--fail-on-warn', '--file', schema], {
  cwd: root,
  stdio: ['ignore', 'inherit', 'inherit'],
});
execFileSync(process.execPath, [cli, schema, '--output', types], { cwd: frontend, stdio: ['ignore', 'ignore', 'inherit'] });
console.log(`gen:api: ${schema}\ngen:api: ${types}`);
