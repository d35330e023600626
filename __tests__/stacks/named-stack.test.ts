/** What NamedStack changes in cdktf's own behaviour, for speed, and what stays. */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { App, Fn, LocalBackend, TerraformOutput, TerraformStack, Tokenization } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { ApigwSfnStack } from "../../stacks/apigw-sfn-stack";
import { ApigwSfnModuleStack } from "../../stacks/module-stack";
import { NamedStack } from "../../stacks/named-stack";
import { testConfig } from "../support/synth";

class Stack extends NamedStack {}

function outdir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "apigw-sfn-named-stack-"));
}

function creationStack(token: string): string[] {
  const [resolvable] = Tokenization.reverseString(token).tokens;
  return (resolvable as unknown as { creationStack: string[] }).creationStack;
}

describe("NamedStack", () => {
  const debug = process.env.APIGW_SFN_DEBUG;
  afterEach(() => {
    if (debug === undefined) delete process.env.APIGW_SFN_DEBUG;
    else process.env.APIGW_SFN_DEBUG = debug;
  });

  it("records no stack trace for each token, unless APIGW_SFN_DEBUG=1 asks for them", () => {
    delete process.env.APIGW_SFN_DEBUG;
    new Stack(new App({ outdir: outdir() }), "quiet");
    expect(creationStack(Fn.sha1("x"))).toEqual([]);
    process.env.APIGW_SFN_DEBUG = "1";
    new Stack(new App({ outdir: outdir() }), "traced");
    expect(creationStack(Fn.sha1("x")).length).toBeGreaterThan(0);
  });

  it("still wires a reference from one stack to another (cdktf's preparing pass runs when an app has several stacks)", () => {
    const app = new App({ outdir: outdir() });
    const first = new Stack(app, "first");
    new LocalBackend(first, { path: "first.tfstate" });
    new AwsProvider(first, "aws", { region: "us-east-1" });
    const role = new IamRole(first, "Role", { name: "r", assumeRolePolicy: "{}" });
    const second = new Stack(app, "second");
    new AwsProvider(second, "aws", { region: "us-east-1" });
    new TerraformOutput(second, "role_arn", { value: role.arn });
    app.synth();
    const json = (name: string) => JSON.parse(fs.readFileSync(path.join(app.outdir, "stacks", name, "cdk.tf.json"), "utf8"));
    expect(Object.keys(json("first").output ?? {})).toHaveLength(1);
    expect(Object.keys(json("second").data?.terraform_remote_state ?? {})).toHaveLength(1);
    expect(json("second").output.role_arn.value).toMatch(/^\$\{data\.terraform_remote_state\./);
  });

  it("writes the same Terraform JSON as cdktf's own TerraformStack.toTerraform, for the root stack and the module", () => {
    const app = new App({ outdir: outdir() });
    const stacks = [
      new ApigwSfnStack(app, "root", { config: testConfig() }),
      new ApigwSfnModuleStack(app, "module", { config: testConfig() }),
    ];
    for (const stack of stacks) {
      const own = JSON.stringify(stack.toTerraform());
      expect(own).toBe(JSON.stringify(TerraformStack.prototype.toTerraform.call(stack)));
      expect(own.length).toBeGreaterThan(10_000);
    }
  });

  it("gives its folder a .gitignore, so that committing the folder commits what synth wrote and not what cdktf and Terraform add", () => {
    const app = new App({ outdir: outdir() });
    new ApigwSfnStack(app, "root", { config: testConfig() });
    app.synth();
    const stackDir = path.join(app.outdir, "stacks", "root");
    const files = () =>
      fs
        .readdirSync(stackDir, { recursive: true, withFileTypes: true })
        .filter((entry) => entry.isFile())
        .map((entry) => path.relative(stackDir, path.join(entry.parentPath, entry.name)));
    const synthesized = files();
    expect(synthesized).toContain(".gitignore");
    // What cdktf plan/deploy and terraform init/apply leave beside the configuration; the lock file is committed.
    for (const file of ["plan", "metadata.json", ".terraform/providers/aws", "terraform.tfstate", "terraform.tfstate.backup", "x.tfplan"]) {
      fs.mkdirSync(path.dirname(path.join(stackDir, file)), { recursive: true });
      fs.writeFileSync(path.join(stackDir, file), "x");
    }
    fs.writeFileSync(path.join(stackDir, ".terraform.lock.hcl"), "x");
    const git = (...args: string[]) => execFileSync("git", args, { cwd: stackDir, encoding: "utf8" });
    git("init", "--quiet");
    git("add", "--all");
    expect(git("ls-files").trim().split("\n").sort()).toEqual([...synthesized, ".terraform.lock.hcl"].sort());
  });
});
