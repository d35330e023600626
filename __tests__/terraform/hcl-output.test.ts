/**
 * The HCL output (`SYNTH_HCL_OUTPUT=true npm run synth`, what main.ts's synth() writes) of both
 * stacks, the root stack and the reusable module: formatted as `terraform fmt` formats it, and valid
 * against the real aws provider schema.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { MODULE_STACK, ROOT_STACK, type SynthResult, synth } from "../../main";
import { TEST_CDKTF_JSON, testEnv } from "../support/synth";
import { terraform, terraformInit } from "../support/terraform";

let result: SynthResult;
beforeAll(() => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "apigw-sfn-hcl-output-"));
  result = synth({ outdir, cdktfJson: TEST_CDKTF_JSON, env: testEnv({ SYNTH_HCL_OUTPUT: "true", APIGW_SFN_MODULE_OUTPUT: "true" }) });
});

describe.each([ROOT_STACK, MODULE_STACK])("HCL output of %s", (stack) => {
  it("is what terraform fmt writes: terraform fmt -check finds nothing to change", async () => {
    const dir = result.stackDirs[stack];
    expect(fs.existsSync(path.join(dir, "cdk.tf"))).toBe(true);
    const check = await terraform(dir, ["fmt", "-check", "-diff"]);
    expect(check.output, check.output).toBe("");
    expect(check.status).toBe(0);
  });

  it("validates against the real aws provider schema, without a warning", async () => {
    const dir = result.stackDirs[stack];
    await terraformInit(dir);
    const validation = await terraform(dir, ["validate"]);
    expect(validation.output, validation.output).toMatch(/^Success! The configuration is valid\.$/m);
    expect(validation.output).not.toMatch(/Warning/);
    expect(validation.status).toBe(0);
  });
});
