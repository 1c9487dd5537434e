// @ts-check
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

const impureInDomain = [
  '@nestjs/*',
  'typeorm',
  'bullmq',
  'ioredis',
  'socket.io',
  'socket.io-client',
  'pino',
  'pg',
  '@tocsin/*',
];

export default tseslint.config(
  {
    ignores: ['dist/**', 'node_modules/**', '.data/**', 'coverage/**', '**/*.mjs', '**/*.cjs', 'scripts/**', 'bin/**'],
  },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-extraneous-class': 'off',
      eqeqeq: ['error', 'always'],
      curly: ['error', 'all'],
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['@tocsin/*/*'], message: 'Import a lib only through its index (@tocsin/<lib>).' }] },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Only libs/platform/src/config reads process.env.' },
      ],
    },
  },
  {
    files: ['libs/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: impureInDomain, message: 'libs/domain is framework-free (STYLE.md §2).' }] },
      ],
    },
  },
  {
    files: ['libs/client/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@tocsin/*/*'], message: 'Import a lib only through its index (@tocsin/<lib>).' },
            {
              group: ['@tocsin/*', '!@tocsin/domain', '!@tocsin/client'],
              allowTypeImports: true,
              message: 'libs/client takes only types from the hub: `import type` (it runs none of its code).',
            },
            {
              group: ['@nestjs/*', 'typeorm', 'bullmq', 'ioredis', 'pino', 'pg', 'express', 'socket.io'],
              allowTypeImports: true,
              message: 'libs/client runs in any Node process: no server framework.',
            },
          ],
        },
      ],
    },
  },
  {
    files: [
      'libs/platform/src/config/**/*.ts',
      'apps/cli/src/config/cli-env.ts',
      'libs/db/src/cli/**/*.ts',
      'test/**/*.ts',
      'bench/**/*.ts',
      'vitest.config.ts',
      '**/*.spec.ts',
      '**/*.int-spec.ts',
    ],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts', '**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
);
