// @ts-check
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'bench/results/**', '.optline/**', 'apps/console/**'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      // Libraries are imported through their barrel only (docs/style.md §1).
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@optline/*/*'], message: 'Import a library through its barrel (@optline/<name>), never a path inside it.' },
            { group: ['**/libs/*/src/**', '**/plugins/*/src/**'], message: 'Import other libraries through @optline/<name>.' },
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-console': 'error',
    },
  },
  {
    // Tests and tooling reach into app internals and print on purpose.
    files: ['test/**/*.ts', 'bench/**/*.ts', 'chaos/**/*.ts', '**/*.spec.ts'],
    rules: { 'no-restricted-imports': 'off', 'no-console': 'off', '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
    languageOptions: { globals: { require: 'readonly', module: 'writable', __dirname: 'readonly', process: 'readonly', console: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
