/**
 * The reusable module as a Terraform user consumes it: the synthesized folder copied next to a
 * small root configuration (module-root/main.tf) that calls it with a `module` block, under the
 * real Terraform CLI and aws provider schema, offline (see __tests__/support/terraform.ts).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { describe, expect, it } from "vitest";
import { synthStack } from "../support/synth";
import { terraform, terraformInit } from "../support/terraform";

const ROOT_CONFIG = path.join(__dirname, "module-root", "main.tf");
const TFTEST = path.join(__dirname, "module.tftest.hcl");

/** A root configuration calling a copy of the module at ./modules/apigw-sfn; returns its folder. */
function rootCalling(moduleDir: string): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "apigw-sfn-caller-"));
  fs.cpSync(moduleDir, path.join(root, "modules", "apigw-sfn"), { recursive: true });
  fs.copyFileSync(ROOT_CONFIG, path.join(root, "main.tf"));
  return root;
}

/** Synthesizes the module as HCL, as `cdktf synth --hcl` does; returns its folder. */
function synthHclModule(): string {
  return synthStack({ module: true, hcl: true }).stackDir;
}

describe("terraform: the module called from a root configuration", () => {
  it("validates when the module folder is copied elsewhere and called with a module block", async () => {
    const root = rootCalling(synthStack({ module: true }).stackDir);
    await terraformInit(root);
    const result = await terraform(root, ["validate"]);
    expect(result.output, result.output).toMatch(/^Success! The configuration is valid\.$/m); // and no warning
    expect(result.status).toBe(0);
  });

  it("passes the mocked terraform test: outputs, variables, conditional resources and their validations", async () => {
    const root = rootCalling(synthStack({ module: true }).stackDir);
    // Before init, which installs the module that the test's own run blocks call.
    fs.mkdirSync(path.join(root, "tests"));
    fs.copyFileSync(TFTEST, path.join(root, "tests", "module.tftest.hcl"));
    await terraformInit(root);
    const result = await terraform(root, ["test"]);
    expect(result.output, result.output).toMatch(/Success! 12 passed, 0 failed/);
    expect(result.status).toBe(0);
  });

  it("validates in HCL too (cdktf synth --hcl)", async () => {
    const moduleDir = synthHclModule();
    expect(fs.existsSync(path.join(moduleDir, "cdk.tf"))).toBe(true);
    const root = rootCalling(moduleDir);
    await terraformInit(root);
    const result = await terraform(root, ["validate"]);
    expect(result.output, result.output).toMatch(/^Success! The configuration is valid\.$/m); // and no warning
    expect(result.status).toBe(0);
  });
});
