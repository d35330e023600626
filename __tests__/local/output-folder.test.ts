/** local/output-folder.ts: which synthesized stack `npm run local` serves. */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { App } from "cdktf";
import { beforeAll, describe, expect, it } from "vitest";
import { stackDirIn } from "../../local/output-folder";
import { ApigwSfnStack } from "../../stacks/apigw-sfn-stack";
import { ApigwSfnModuleStack } from "../../stacks/module-stack";
import { testConfig } from "../support/synth";

/** Synthesizes the named stacks (a name ending in "-module" as the reusable module) into one output folder. */
function synthesize(names: readonly string[]): string {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "apigw-sfn-stacks-"));
  const app = new App({ outdir });
  for (const name of names) {
    if (name.endsWith("-module")) new ApigwSfnModuleStack(app, name, { config: testConfig() });
    else new ApigwSfnStack(app, name, { config: testConfig() });
  }
  app.synth();
  return outdir;
}

describe("choosing the stack to serve", () => {
  let outdir: string;
  beforeAll(() => {
    outdir = synthesize(["apigw-sfn", "apigw-sfn-module"]);
  });

  it("serves the root stack, not the reusable module written beside it", () => {
    expect(stackDirIn(outdir)).toBe(path.join(outdir, "stacks", "apigw-sfn"));
  });

  it("serves the stack LOCAL_STACK names", () => {
    expect(stackDirIn(outdir, "apigw-sfn-module")).toBe(path.join(outdir, "stacks", "apigw-sfn-module"));
  });

  it("asks for a name when the folder holds several root stacks", () => {
    const two = synthesize(["blue", "green"]);
    expect(() => stackDirIn(two)).toThrow(/holds several stacks \(blue, green\): name one with LOCAL_STACK/);
  });
});
