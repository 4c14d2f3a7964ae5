// Lint, and the structure rule: dependencies point apps → libs, and libs/domain stays free of frameworks.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const APPS = ['tenant-api', 'auth', 'mcp-gateway', 'cli', 'standalone'];
const noRelativeLibs = { group: ['**/libs/**'], message: 'Import a lib through its public entry: @tessera/<lib>.' };
const otherApps = (app) =>
  APPS.filter((other) => other !== app).map((other) => ({
    group: [`**/${other}/src/**`],
    message: `apps/${app} must not reach into apps/${other}; share code through a lib.`,
  }));

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.data/**', 'coverage/**', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['libs/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@nestjs/*', 'typeorm', 'typeorm/*', 'pg', 'express'], message: 'libs/domain is pure TypeScript: no Nest, TypeORM or HTTP.' },
            { group: ['@tessera/*', '**/libs/**', '**/apps/**'], message: 'libs/domain depends on nothing in the repo.' },
          ],
        },
      ],
    },
  },
  {
    files: ['libs/**/*.ts'],
    ignores: ['libs/domain/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/apps/**'], message: 'libs must not depend on apps.' }, noRelativeLibs] },
      ],
    },
  },
  ...APPS.filter((app) => app !== 'standalone').map((app) => ({
    files: [`apps/${app}/**/*.ts`],
    rules: { 'no-restricted-imports': ['error', { patterns: [noRelativeLibs, ...otherApps(app)] }] },
  })),
  {
    // The console runs in the browser: of the libs it bundles only @tessera/domain (pure TypeScript, no Node).
    files: ['apps/console/**/*.ts', 'apps/console/**/*.tsx'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            noRelativeLibs,
            { group: ['@tessera/*', '!@tessera/domain'], message: 'The console is bundled for the browser: only @tessera/domain of the libs.' },
            { group: APPS.map((app) => `**/${app}/src/**`), message: 'apps/console must not reach into another app; share code through a lib.' },
          ],
        },
      ],
    },
  },
  {
    // The standalone app composes the others: it may import their modules, config and services.
    files: ['apps/standalone/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [noRelativeLibs] }] },
  },
  {
    // IsOptional lets null through unchecked; the tenant API's Optional() checks every value that is sent.
    files: ['apps/**/*.ts', 'libs/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "ImportDeclaration[source.value='class-validator'] ImportSpecifier[imported.name='IsOptional']",
          message: "IsOptional accepts null unchecked: use Optional() from apps/tenant-api/src/common-dto.ts.",
        },
      ],
    },
  },
);
