import { defineConfig } from "vitest/config";

/**
 * The tests that defend the security properties, for mutation testing (npm run test:mutation):
 * fast synth-level tests only; the Terraform runs stay in the normal suite.
 */
export default defineConfig({
  test: {
    include: [
      "__tests__/stacks/security.test.ts",
      "__tests__/stacks/module.test.ts",
      "__tests__/stacks/config.test.ts",
      "__tests__/stacks/constructs/security-constructs.test.ts",
    ],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
