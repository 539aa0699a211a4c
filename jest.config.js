/** Jest runs the pure core and the CLI under node, straight from TypeScript. */
module.exports = {
  preset: 'ts-jest',
  testEnvironment: 'node',
  roots: ['<rootDir>/src'],
  // Views (.tsx) run under jsdom by their own docblock (@jest-environment jsdom).
  testMatch: ['**/__tests__/**/*.test.ts', '**/__tests__/**/*.test.tsx'],
  transform: {
    '^.+\\.tsx?$': ['ts-jest', { tsconfig: { ...require('./tsconfig.json').compilerOptions, composite: false, incremental: false, declaration: false } }]
  }
};
