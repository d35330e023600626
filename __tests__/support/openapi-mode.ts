/**
 * Imported first by a suite's "openapi" variant (e.g. __tests__/local/smoke.openapi.test.ts), which
 * then imports the suite: the suite runs as it is, against stacks whose routes are the REST API's
 * OpenAPI body (the apiDefinition "openapi"), since testConfig() reads this mode.
 */
import { testMode } from "./synth";

testMode.apiDefinition = "openapi";
