/** Switching between JSON and HCL output in one folder leaves exactly one configuration. */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { synth as synthApp } from "../main";
import { TEST_CDKTF_JSON, testEnv } from "./support/synth";

async function synth(outdir: string, hcl: boolean): Promise<void> {
  synthApp({ outdir, cdktfJson: TEST_CDKTF_JSON, env: testEnv({ SYNTH_HCL_OUTPUT: String(hcl) }) });
}

describe("synth output folder", () => {
  it("leaves no stale cdk.tf.json beside a new cdk.tf, nor the other way round, and keeps local state", async () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "apigw-sfn-switch-"));
    const stackDir = path.join(outdir, "stacks", "apigw-sfn");
    await synth(outdir, false);
    fs.writeFileSync(path.join(stackDir, "terraform.tfstate"), "{}");
    await synth(outdir, true);
    expect(fs.readdirSync(stackDir).filter((f) => f.startsWith("cdk.tf"))).toEqual(["cdk.tf"]);
    await synth(outdir, false);
    expect(fs.readdirSync(stackDir).filter((f) => f.startsWith("cdk.tf"))).toEqual(["cdk.tf.json"]);
    expect(fs.readFileSync(path.join(stackDir, "terraform.tfstate"), "utf8")).toBe("{}");
  });
});
