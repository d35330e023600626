import * as fs from "node:fs";
import * as path from "node:path";
import type { Construct, Node } from "constructs";
import { App, type ISynthesisSession, TerraformElement, TerraformOutput, TerraformStack, TerraformVariable } from "cdktf";
import { resolve } from "cdktf/lib/_tokens";
import { StackSynthesizer } from "cdktf/lib/synthesize/synthesizer";
import { deepMerge } from "cdktf/lib/util";
import { hclOutput } from "./hcl-output";
import { startHclFormatter } from "./hclwrite";

/**
 * cdktf 0.21 records an unlimited-depth stack trace for every token it creates (references,
 * function calls, lazy values), only to print it if that token later fails to resolve. cdktf has
 * no switch for them (the App's `stackTraces: false` covers construct metadata only), so while a
 * NamedStack is built its capture function, which cdktf looks up through its module's exports at
 * every call, records nothing. Measured interleaved at 100 workflows: with the traces, synth takes
 * 1.34x the time and 26 MB more memory (docs/performance.md). APIGW_SFN_DEBUG=1 keeps them, for
 * the "Object creation stack" of a token error.
 */
const stackTraces: { captureStackTrace: () => string[] } = require("cdktf/lib/tokens/private/stack-trace");
const captureStackTrace = stackTraces.captureStackTrace;
const NO_STACK_TRACE: string[] = Object.freeze([]) as unknown as string[];
const noStackTrace = (): string[] => NO_STACK_TRACE;

function chooseTokenStackTraces(): void {
  stackTraces.captureStackTrace = process.env.APIGW_SFN_DEBUG === "1" ? captureStackTrace : noStackTrace;
}

/**
 * A stack whose Terraform names are readable and stable: the construct path below the stack in
 * snake_case, without the conventional "Resource" leaf and without "Default" scopes (aws-cdk-lib's
 * convention for a construct that stands for its parent), e.g. express_state_machine, api.
 * Tests, `terraform state` commands and Terraform users reading the output rely on them, so a
 * clash is an error. Its HCL output is mended where cdktf 0.21 writes it wrong, and formatted as
 * `terraform fmt` does (hcl-output.ts).
 */
export abstract class NamedStack extends TerraformStack {
  private readonly logicalIds = new Map<string, string>();

  constructor(scope: Construct, id: string) {
    chooseTokenStackTraces();
    super(scope, id);
    // cdktf 0.21 names the file after the app's hclOutput (cdk.tf) but decides its format from the
    // SYNTH_HCL_OUTPUT variable alone: follow the app, which itself defaults to that variable.
    this.synthesizer = new NamedStackSynthesizer(
      this,
      process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS !== undefined,
      App.of(this).hclOutput,
    );
    // hclwrite's WebAssembly loads in its worker while the stack is built.
    if (App.of(this).hclOutput) startHclFormatter();
  }

  /**
   * cdktf's preparing pass resolves every element of every stack only to find references from one
   * stack to another (for which it adds outputs and remote state). A stack alone in its app has
   * none: it only needs its backend then (a tenth of the time of 100 workflows, docs/performance.md).
   * With several stacks (`npm run synth:module`) the pass runs as cdktf has it.
   */
  public prepareStack(): void {
    const stacks = this.node.root.node.findAll().filter(TerraformStack.isStack);
    if (stacks.length > 1) super.prepareStack();
    else this.ensureBackendExists();
  }

  /**
   * The stack as Terraform JSON: what cdktf 0.21's TerraformStack.toTerraform returns (the
   * elements' metadata, the outputs' map, every element's resolved configuration, the stack's own
   * overrides), but without resolving the merged result once more, a second walk of every string
   * of the configuration that changes nothing, since every part was resolved already (at 100
   * workflows about a tenth of the synth time, docs/performance.md). cdktf 0.21.0 is its last
   * release, so this cannot drift from it; a test compares the two.
   */
  // biome-ignore lint/suspicious/noExplicitAny: overrides TerraformStack.toTerraform, which returns any
  public toTerraform(): any {
    const stack = this as unknown as { readonly rawOverrides: Record<string, unknown>; readonly cdktfVersion: string };
    const elements = terraformElements(this);
    const metadata = {
      version: stack.cdktfVersion,
      stackName: this.node.id,
      backend: "local",
      cloud: undefined,
      ...(Object.keys(stack.rawOverrides).length > 0 ? { overrides: { stack: Object.keys(stack.rawOverrides) } } : {}),
    };
    for (const element of elements) {
      const meta = element.toMetadata();
      if (Object.keys(meta).length > 0) deepMerge(metadata, resolve(this, meta));
    }
    const outputs = {};
    for (const element of elements) {
      if (!TerraformOutput.isTerraformOutput(element)) continue;
      const nested = element.node.path.split("/").reduceRight<unknown>((inner, part) => ({ [part]: inner }), element.friendlyUniqueId);
      deepMerge(outputs, nested);
    }
    const tf: Record<string, unknown> = { "//": { metadata, outputs } };
    for (const element of elements) deepMerge(tf, resolve(this, element.toTerraform()));
    deepMerge(tf, resolve(this, stack.rawOverrides));
    return tf;
  }

  /**
   * Called once the stack's folder is written, to write more files into it. `configuration` gives
   * the configuration as cdk.tf.json holds it: read back from that file, or computed the same way
   * when the output is HCL. @default writes nothing
   */
  public afterSynth(_stackDir: string, _configuration: () => Record<string, unknown>): void {}

  /** Attributes of the `terraform` block cdktf's HCL writer cannot write (e.g. required_version). @default none */
  protected terraformAttributes(): Readonly<Record<string, string>> {
    return {};
  }

  public toHclTerraform(): ReturnType<TerraformStack["toHclTerraform"]> {
    const result = super.toHclTerraform();
    const falsyDefaults = Object.fromEntries(
      this.node
        .findAll()
        .filter((element): element is TerraformVariable => element instanceof TerraformVariable)
        .filter((variable) => variable.default === false || variable.default === "" || variable.default === 0)
        .map((variable) => [variable.friendlyUniqueId, variable.default]),
    );
    return { ...result, hcl: hclOutput(result.hcl, this.terraformAttributes(), falsyDefaults) };
  }

  protected allocateLogicalId(element: TerraformElement | Node): string {
    const node = element instanceof TerraformElement ? element.node : element;
    // Input variables are the module's interface: named exactly as their construct id.
    if (element instanceof TerraformVariable) return this.claimLogicalId("variable", node.id, node.path);
    const parts = node.scopes
      .slice(node.scopes.indexOf(this) + 1)
      .map((scope) => scope.node.id)
      .filter((part) => part !== "Default");
    if (parts.length > 1 && parts[parts.length - 1] === "Resource") parts.pop();
    const id = parts
      .map((part) => (part === part.toUpperCase() ? part : part.replace(/([a-z0-9])([A-Z])/g, "$1_$2")))
      .map((part) => part.replace(/[^A-Za-z0-9_]+/g, "_").toLowerCase())
      .join("_")
      .replace(/_+/g, "_")
      .replace(/^_|_$/g, "");
    return this.claimLogicalId(element instanceof TerraformOutput ? "output" : "resource", id, node.path);
  }

  /** Registers a name; outputs, variables and resources have a namespace each, as in Terraform. */
  private claimLogicalId(kind: string, id: string, path: string): string {
    const owner = this.logicalIds.get(`${kind} ${id}`);
    if (owner !== undefined && owner !== path) {
      throw new Error(`two resources would share the Terraform name "${id}": ${owner} and ${path}`);
    }
    this.logicalIds.set(`${kind} ${id}`, path);
    return id;
  }
}

/** The stack's elements, depth first, not those of a stack inside it (as cdktf's own helper). */
function terraformElements(scope: Construct, into: TerraformElement[] = []): TerraformElement[] {
  if (TerraformElement.isTerraformElement(scope)) into.push(scope);
  for (const child of scope.node.children) {
    if (!TerraformStack.isStack(child)) terraformElements(child as Construct, into);
  }
  return into;
}

/**
 * The .gitignore of a stack folder: what cdktf and Terraform write there besides the configuration
 * (cdktf's `metadata.json` and the `plan` of `cdktf diff`/`deploy`, Terraform's `.terraform` and
 * local state), so that a repository committing the folder (a VCS-driven Terraform Cloud workspace,
 * docs/deploy.md) commits only what synth wrote. The provider lock file stays, to be committed.
 */
export const STACK_GITIGNORE = `# Written by synth: keeps out of git what cdktf and Terraform write here besides the configuration.
/metadata.json
/plan
.terraform/
*.tfstate
*.tfstate.*
*.tfplan
`;

/** cdktf's synthesizer, then the stack's .gitignore and afterSynth. */
class NamedStackSynthesizer extends StackSynthesizer {
  constructor(
    private readonly namedStack: NamedStack,
    continueOnErrorAnnotations: boolean,
    private readonly hcl: boolean,
  ) {
    super(namedStack, continueOnErrorAnnotations, hcl);
  }

  public synthesize(session: ISynthesisSession): void {
    super.synthesize(session);
    const stackManifest = session.manifest.forStack(this.namedStack);
    const stackDir = path.join(session.outdir, stackManifest.workingDirectory);
    const jsonFile = path.join(session.outdir, stackManifest.synthesizedStackPath);
    fs.writeFileSync(path.join(stackDir, ".gitignore"), STACK_GITIGNORE);
    this.namedStack.afterSynth(stackDir, () => (this.hcl ? this.namedStack.toTerraform() : JSON.parse(fs.readFileSync(jsonFile, "utf8"))));
  }
}
