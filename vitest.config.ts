import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["__tests__/**/*.test.ts"],
    // Terraform runs (init, validate, test) take seconds each.
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // Two cores: Terraform-heavy files should not all run at once.
    maxWorkers: 2,
    minWorkers: 1,
  },
});
