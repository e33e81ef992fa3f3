// @ts-check
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

// The console's own lint (the hub's `npm run lint` ignores apps/console).
export default tseslint.config(
  { ignores: ['dist/**', 'src/api/schema.d.ts'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['src/**/*.{ts,tsx}'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      // One transport: features call the generated client (src/api), never fetch or axios.
      'no-restricted-globals': ['error', { name: 'fetch', message: 'Call the hub through src/api/client.ts.' }],
      'no-restricted-syntax': ['error', { selector: "MemberExpression[object.name='window'][property.name='fetch']", message: 'Call the hub through src/api/client.ts.' }],
    },
  },
  {
    // components/ui is a leaf: it never imports a feature, the app shell or the API.
    files: ['src/components/ui/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/features/**', '**/app/**', '**/api/**', '**/forms/**'], message: 'components/ui is a leaf: pass data in as props.' }] }],
    },
  },
);
