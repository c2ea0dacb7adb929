// ESLint (flat config). One rule that matters for the architecture: pages call the typed service
// functions of src/services/, never the raw HTTP helper. src/lint.test.ts runs this config in
// `npx vitest run`, so CI enforces it; `npm run lint` runs it alone.
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

export const RAW_HTTP_MESSAGE =
  'Pages call the service functions of src/services/<domain>.ts; add one there instead of using the raw HTTP helper.';

export default defineConfig(
  { ignores: ['dist/**', 'node_modules/**', 'src/services/generated/**'] },
  {
    files: ['src/**/*.{ts,tsx}'],
    languageOptions: { parser: tseslint.parser },
  },
  {
    files: ['src/pages/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ regex: '(^|/)services/http(\\.ts)?$', message: RAW_HTTP_MESSAGE }],
      }],
    },
  },
);
