import { Construct } from "constructs";
import { AssetType, Fn, TerraformAsset, Token, ref } from "cdktf";
import { TemplateError, type TemplateValue, checkTemplateVariables, readTemplate, renderTemplate } from "../../lang/terraform-template";
import { parseJsonText } from "../../lang/json";
import { type AslWorkflowType, checkAsl } from "./asl-check";
import { STATE_MACHINE_DEFINITION_SIZE, checkQuota } from "./aws-quotas";
import { resolveTemplateFile } from "./template-files";

export interface WorkflowTemplateProps {
  /**
   * The Amazon States Language template, a Terraform template file (`.tftpl`).
   * A relative path is resolved against the project's `templates/` folder.
   */
  readonly file: string;
  /**
   * Values of the template's variables: exactly the variables the template uses.
   * A value may be a cdktf token (a reference Terraform resolves at plan time).
   * @default {}
   */
  readonly variables?: Readonly<Record<string, TemplateValue>>;
  /**
   * The type of the state machine the definition is for: AWS refuses some integrations in EXPRESS
   * machines only (`.sync`, `.waitForTaskToken`, activities).
   * @default "STANDARD"
   */
  readonly workflowType?: AslWorkflowType;
}

/**
 * A state machine definition: an ASL template shipped as an asset of the synthesized stack and
 * rendered by Terraform's templatefile() at plan time, as the article does.
 *
 * The template is checked while synthesizing: the file exists, its variables are exactly the
 * ones passed, and once rendered it is valid JSON and ASL that AWS accepts (asl-check.ts). Any
 * problem throws a {@link TemplateError} naming the file (and for ASL, the state and the field),
 * before anything is written.
 */
export class WorkflowTemplate extends Construct {
  /** Absolute path of the template file. */
  public readonly file: string;
  /** The asset holding a copy of the template inside the synthesized stack. */
  public readonly asset: TerraformAsset;
  /** The definition as a Terraform expression: templatefile() of the asset. */
  public readonly definition: string;
  /** The definition rendered at synth, with 0 standing for values Terraform resolves later. */
  public readonly sampleDefinition: Record<string, unknown>;

  constructor(scope: Construct, id: string, props: WorkflowTemplateProps) {
    super(scope, id);
    this.file = resolveTemplateFile(props.file);
    const variables = props.variables ?? {};
    this.sampleDefinition = validateWorkflowTemplate(this.file, variables, props.workflowType);
    this.asset = new TerraformAsset(this, "Asset", { path: this.file, type: AssetType.FILE });
    // From path.module, so the same configuration works as a root module and as a child module.
    this.definition = Fn.templatefile(`${Token.asString(ref("path.module"))}/${this.asset.path}`, variables);
  }
}

/**
 * Checks an ASL template file as {@link WorkflowTemplate} does and returns the definition it
 * renders to. Values that are cdktf tokens (unknown until Terraform runs) are replaced by 0,
 * which is valid in both string and number positions.
 */
export function validateWorkflowTemplate(
  file: string,
  variables: Readonly<Record<string, TemplateValue>>,
  workflowType: AslWorkflowType = "STANDARD",
): Record<string, unknown> {
  const template = readTemplate(file);
  checkTemplateVariables(template, Object.keys(variables));
  const sample: Record<string, TemplateValue> = {};
  for (const [name, value] of Object.entries(variables)) {
    sample[name] = typeof value === "string" && Token.isUnresolved(value) ? 0 : value;
  }
  const rendered = renderTemplate(template, sample);
  checkQuota(STATE_MACHINE_DEFINITION_SIZE, rendered.length, { what: `the state machine definition ${file}` });
  let definition: unknown;
  try {
    definition = parseJsonText(rendered);
  } catch (error) {
    throw new TemplateError(file, `does not render to valid JSON: ${(error as Error).message}`);
  }
  if (typeof definition !== "object" || definition === null || Array.isArray(definition)) {
    throw new TemplateError(file, "does not render to a JSON object (an ASL definition is an object with StartAt and States)");
  }
  checkAsl(file, definition as Record<string, unknown>, workflowType);
  return definition as Record<string, unknown>;
}
