import { Construct, Node } from "constructs";
import { App, TerraformElement, TerraformOutput, TerraformStack, TerraformVariable } from "cdktf";
import { StackSynthesizer } from "cdktf/lib/synthesize/synthesizer";
import { mendHcl } from "./hcl-output";

/**
 * A stack whose Terraform names are readable and stable: the construct path below the stack in
 * snake_case, without the conventional "Resource" leaf and without "Default" scopes (aws-cdk-lib's
 * convention for a construct that stands for its parent), e.g. express_state_machine, api.
 * Tests, `terraform state` commands and Terraform users reading the output rely on them, so a
 * clash is an error. Its HCL output is mended where cdktf 0.21 writes it wrong (hcl-output.ts).
 */
export abstract class NamedStack extends TerraformStack {
  private readonly logicalIds = new Map<string, string>();

  constructor(scope: Construct, id: string) {
    super(scope, id);
    // cdktf 0.21 names the file after the app's hclOutput (cdk.tf) but decides its format from the
    // SYNTH_HCL_OUTPUT variable alone: follow the app, which itself defaults to that variable.
    this.synthesizer = new StackSynthesizer(this, process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS !== undefined, App.of(this).hclOutput);
  }

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
    return { ...result, hcl: mendHcl(result.hcl, this.terraformAttributes(), falsyDefaults) };
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
