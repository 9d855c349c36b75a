/** Unit specs sit next to the source; end-to-end tests live under test/. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/src', '<rootDir>/test'],
  testMatch: ['**/*.spec.ts', '**/*.e2e-spec.ts'],
  transform: {
    '^.+\\.(t|j)sx?$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          target: 'es2022',
        },
        module: { type: 'commonjs' },
      },
    ],
  },
  // p-retry, is-network-error and jose ship as ES modules only; Jest on Node 20 needs them transformed.
  transformIgnorePatterns: ['/node_modules/(?!(p-retry|is-network-error|jose)/)'],
  setupFiles: ['<rootDir>/test/jest.setup.ts'],
  // The run fails when it leaves any of the project's keys in the test Redis (ECR_AUTH_TEST_REDIS_URL).
  globalSetup: '<rootDir>/test/jest.global-setup.ts',
  globalTeardown: '<rootDir>/test/jest.global-teardown.ts',
  testTimeout: 30000,
};
