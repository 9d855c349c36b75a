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
  testTimeout: 30000,
};
