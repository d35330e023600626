/**
 * The integration timeout under the real Terraform CLI and hashicorp/aws provider schema, offline:
 * a stack synthesized with integrationTimeoutMs 120000 validates, and the setting's bounds are the
 * provider's (the module's variable validation and precondition run in module.tftest.hcl).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { INTEGRATION_TIMEOUT_MS } from "../../stacks/constructs/integration-timeout";
import { synthStack, testConfig } from "../support/synth";
import { terraform, terraformInit } from "../support/terraform";

describe("terraform: the integration timeout", () => {
  it("validates a stack with integrationTimeoutMs 120000, and the provider refuses just outside the setting's bounds", async () => {
    const { stackDir, json } = synthStack({ config: testConfig({ integrationTimeoutMs: 120_000 }) });
    await terraformInit(stackDir);
    const valid = await terraform(stackDir, ["validate"]);
    expect(valid.output, valid.output).toMatch(/^Success! The configuration is valid\.$/m);

    const file = path.join(stackDir, "cdk.tf.json");
    for (const outside of [INTEGRATION_TIMEOUT_MS.min - 1, INTEGRATION_TIMEOUT_MS.max + 1]) {
      json.resource.aws_api_gateway_integration.express_start_integration.timeout_milliseconds = outside;
      fs.writeFileSync(file, JSON.stringify(json));
      const refused = await terraform(stackDir, ["validate"]);
      expect(refused.status).not.toBe(0);
      expect(refused.output).toContain(`expected timeout_milliseconds to be in the range (50 - 300000), got ${outside}`);
    }
    fs.rmSync(path.dirname(path.dirname(stackDir)), { recursive: true, force: true });
  });
});
