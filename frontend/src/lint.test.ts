// @vitest-environment node
// ESLint over src/ (eslint.config.js), inside `npx vitest run` so that CI enforces it: pages
// never import the raw HTTP helper.
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const cwd = fileURLToPath(new URL('..', import.meta.url));

describe('lint', () => {
  it('src/ has no lint errors', async () => {
    const eslint = new ESLint({ cwd });
    const results = await eslint.lintFiles(['src']);
    const errors = results.flatMap((r) => r.messages.filter((m) => m.severity === 2).map((m) => `${r.filePath}:${m.line} ${m.message}`));
    expect(errors).toEqual([]);
    expect(results.length).toBeGreaterThan(50);
  }, 60_000);

  it('refuses the raw HTTP helper in a page', async () => {
    const eslint = new ESLint({ cwd });
    const [result] = await eslint.lintText("import { http } from '../../services/http';\nexport const x = http;\n", {
      filePath: 'src/pages/holdings/example.tsx',
    });
    expect(result.messages.map((m) => m.ruleId)).toEqual(['no-restricted-imports']);
    const [service] = await eslint.lintText("import { http } from './http';\nexport const x = http;\n", {
      filePath: 'src/services/example.ts',
    });
    expect(service.messages).toEqual([]);
  }, 60_000);
});
