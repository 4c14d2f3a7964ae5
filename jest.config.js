// Jest: one project per suite of scripts/test.js (unit, helm, integration, e2e), each with the same
// directories and file names. TypeScript and the ESM-only packages below are compiled to CommonJS by SWC.
// `npm test` type-checks, lints and runs the projects in turn; `npx jest --selectProjects unit` or
// `npx jest path/to/file.spec.ts` runs a part of them. Integration and e2e get one real OpenSearch node
// (test/jest/opensearch-setup.js) unless OPENSEARCH_TEST_URL names one.
'use strict';

process.env.LOG_LEVEL ??= 'silent';
process.env.NODE_ENV = 'test';

/** Packages published as ES modules only (or whose CommonJS build calls import()): SWC compiles them too. */
const ESM_PACKAGES = [
  'oidc-provider',
  'jose',
  'openid-client',
  'oauth4webapi',
  'stemmer',
  'htmlparser2',
  'domhandler',
  'domutils',
  'dom-serializer',
  'entities',
  'domelementtype',
  '@kubernetes/client-node',
  'kubernetes-models',
  '@kubernetes-models/[^/]+',
  'is-cidr',
  'cidr-regex',
  '@electric-sql/pglite',
];

const swcTypeScript = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
  },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
};
const swcJavaScript = { jsc: { parser: { syntax: 'ecmascript' }, target: 'es2022' }, module: { type: 'commonjs' } };

const shared = {
  testEnvironment: '<rootDir>/test/jest/environment.js',
  resolver: '<rootDir>/test/jest/resolver.js',
  transform: {
    '^.+\\.ts$': ['@swc/jest', swcTypeScript],
    '^.+\\.(m?js|cjs)$': ['@swc/jest', swcJavaScript],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_PACKAGES.join('|')})/)`],
  moduleNameMapper: { '^@tessera/([a-z-]+)$': '<rootDir>/libs/$1/src/index.ts' },
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json', 'node'],
  modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/apps/console/dist/'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
};

const openSearch = {
  globalSetup: '<rootDir>/test/jest/opensearch-setup.js',
  globalTeardown: '<rootDir>/test/jest/opensearch-teardown.js',
};

/** @type {import('jest').Config} */
module.exports = {
  maxWorkers: 2,
  testTimeout: 300_000,
  coverageProvider: 'v8',
  collectCoverageFrom: ['{apps,libs}/**/*.ts', '!**/*.spec.ts', '!**/testing/**', '!**/node_modules/**', '!apps/console/**'],
  coverageReporters: ['text-summary', 'json-summary'],
  projects: [
    {
      ...shared,
      displayName: 'unit',
      roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/test/bench', '<rootDir>/test/observability'],
      testMatch: ['**/*.spec.ts'],
    },
    { ...shared, displayName: 'helm', roots: ['<rootDir>/test/helm'], testMatch: ['**/*.test.ts'] },
    { ...shared, ...openSearch, displayName: 'integration', roots: ['<rootDir>/test/integration'], testMatch: ['**/*.test.ts'] },
    { ...shared, ...openSearch, displayName: 'e2e', roots: ['<rootDir>/test/e2e'], testMatch: ['**/*.e2e.ts'] },
  ],
};
