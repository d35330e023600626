import { formatHcl } from "./hcl-format";

/**
 * Mends cdktf 0.21's HCL writer (`cdktf synth --hcl`, SYNTH_HCL_OUTPUT=true), so that the HCL
 * output validates as cleanly as the JSON output and reads like hand-written Terraform:
 * {@link hclOutput} repairs its flaws (mendHcl) and formats the text as `terraform fmt` does
 * (hcl-format.ts, with hclwrite itself: cdktf writes no indentation, no alignment and `"${...}"` around every
 * expression), so `terraform fmt -check` passes on it without Terraform being run at synth.
 * The flaws:
 * - `depends_on` and `ignore_changes` entries are written as quoted strings, which Terraform
 *   accepts only with a "Quoted references are deprecated" warning per entry;
 * - plain attributes of the `terraform` block (other than required_providers, backend and cloud)
 *   are written by their index (`0 = "required_version"`), which Terraform refuses;
 * - a variable's falsy default (`false`, `""`, `0`) is left out, which makes the variable required;
 * - a lifecycle's `precondition` and `postcondition` blocks are written as a list attribute
 *   (`precondition = [{ ... }]`), which Terraform refuses ("An argument named "precondition" is not
 *   expected here").
 * Each repair is a no-op on text cdktf already writes correctly.
 */

/** The HCL text cdktf wrote, mended and formatted: what a stack writes to cdk.tf. */
export function hclOutput(
  hcl: string,
  terraformAttributes: Readonly<Record<string, string>> = {},
  falsyDefaults: Readonly<Record<string, false | "" | 0>> = {},
): string {
  return formatHcl(mendHcl(hcl, terraformAttributes, falsyDefaults));
}

/**
 * The HCL text with quoted depends_on and ignore_changes references unquoted, the terraform block's
 * attributes written out, variables' falsy defaults written and conditions written as blocks.
 */
export function mendHcl(
  hcl: string,
  terraformAttributes: Readonly<Record<string, string>> = {},
  falsyDefaults: Readonly<Record<string, false | "" | 0>> = {},
): string {
  let mended = hcl.replace(
    /(\b(?:depends_on|ignore_changes) = \[\n)((?:\s*"[A-Za-z0-9_.-]+",?\n)*)(\s*\])/g,
    (_, open: string, entries: string, close: string) => open + entries.replace(/"([A-Za-z0-9_.-]+)"/g, "$1") + close,
  );
  Object.keys(terraformAttributes).forEach((name, index) => {
    mended = mended.replace(new RegExp(`^(\\s*)${index} = "${name}"$`, "m"), `$1${name} = ${JSON.stringify(terraformAttributes[name])}`);
  });
  // Each entry of the list, one attribute a line as cdktf writes them, becomes a block of its own.
  mended = mended.replace(
    /^([ \t]*)(precondition|postcondition) = \[\n((?:[ \t]*(?:\{|\},?|[a-z_]+ = .*)\n)*?)[ \t]*\]\n/gm,
    (_, indent: string, kind: string, entries: string) =>
      entries.replace(/^([ \t]*)(\{|\},?)$/gm, (_line, space: string, brace: string) =>
        brace === "{" ? `${indent}${kind} {` : `${space}}`,
      ),
  );
  for (const [name, value] of Object.entries(falsyDefaults)) {
    mended = mended.replace(new RegExp(`^(variable "${name}" \\{\\n)(?!default = )`, "m"), `$1default = ${JSON.stringify(value)}\n`);
  }
  return mended;
}
