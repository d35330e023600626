/** stacks/hcl-format.ts: HCL formatted as `terraform fmt` formats it, checked against Terraform itself. */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { formatHcl } from "../../stacks/hcl-format";
import { run } from "../support/run";
import { terraformBinary } from "../support/terraform";

/** HCL as cdktf writes it, and worse: no indentation, odd spacing, every construct the formatter must know. */
const TRICKY = `# a comment at the top
locals {
a = "\${var.x}"
b = "\${var.x}-suffix"
c = "\${jsonencode({"a" = [1,2], "b" = {"c" = -1}})}"
d = ["\${var.y}", "x"]
e = {
"key with space" = "v" # trailing comment
k = 1 // another
}
f = <<EOT
  indented \${var.z} text, a brace on its own line follows
}
  x = 1
EOT
ff = <<-EOT
    kept \${ var.z }
    EOT
g = "\${
var.q
}"
h = "\${var.a ? "b" : "c"}"
i = "$\${literal} %%{literal} \\"quoted\\" \\\\ back"
j = [for s in var.list : upper(s) if s != ""]
k = {for k, v in var.map : k => v}
l = !var.flag
m = -1
n = 1 - 2
o = var.list[0]
p = "%{ if var.x }yes%{ else }no%{ endif }"
r = "é\${var.x}"
s = var.a==1&&var.b<2||!var.c
t = "\${var.a}\${var.b}"
é = 1
}


variable "v" {
type = "string"
}
variable "w" {
type = list
}
data "x" "y" {
}
resource "a" "b" {

x = 1
long_name = [
]
nested { y = "\${var.z}" }
depends_on = [
a.b,
]

}
`;

/** Runs `terraform fmt -check -diff` on HCL text; returns its exit status and the diff. */
async function terraformFmtCheck(text: string): Promise<{ status: number; output: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "apigw-sfn-fmt-"));
  fs.writeFileSync(path.join(dir, "main.tf"), text);
  const result = await run(terraformBinary(), ["fmt", "-check", "-diff", "-no-color", "main.tf"], {
    cwd: dir,
    env: { ...process.env, CHECKPOINT_DISABLE: "1" },
  });
  return { status: result.status, output: result.stdout };
}

/** The text as `terraform fmt` rewrites it. */
async function terraformFmt(text: string): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "apigw-sfn-fmt-"));
  fs.writeFileSync(path.join(dir, "main.tf"), text);
  const result = await run(terraformBinary(), ["fmt", "-no-color", "main.tf"], {
    cwd: dir,
    env: { ...process.env, CHECKPOINT_DISABLE: "1" },
  });
  expect(result.status, result.output).toBe(0);
  return fs.readFileSync(path.join(dir, "main.tf"), "utf8");
}

describe("formatHcl", () => {
  it("indents by nesting and aligns the = of consecutive one-line attributes", () => {
    const hcl = 'resource "a" "b" {\nname = "x"\nlonger_name = 1\ntags = {\nA = "1"\nLonger = "2"\n}\nnested {\nc = true\n}\n}\n';
    expect(formatHcl(hcl)).toBe(
      'resource "a" "b" {\n  name        = "x"\n  longer_name = 1\n  tags = {\n    A      = "1"\n    Longer = "2"\n  }\n  nested {\n    c = true\n  }\n}\n',
    );
  });

  it('writes an attribute whose whole value is one interpolation without "${}", as terraform fmt does', () => {
    expect(formatHcl('x {\na = "${var.a}"\nb = "${var.a}-b"\nc = ["${var.a}"]\n}\n')).toBe(
      'x {\n  a = var.a\n  b = "${var.a}-b"\n  c = ["${var.a}"]\n}\n',
    );
  });

  it("copies heredocs byte for byte and aligns the attribute that opens one", () => {
    const body = '## a template\n}\n  #set($x = {"a": 1})\n${var.kept}\n$${escaped}\n';
    const formatted = formatHcl(`x {\nshort = 1\nheredoc = <<EOF\n${body}EOF\nafter = 2\n}\n`);
    expect(formatted).toBe(`x {\n  short   = 1\n  heredoc = <<EOF\n${body}EOF\n  after   = 2\n}\n`);
  });

  it("separates top-level blocks by one blank line and drops blank lines at the edges of blocks", () => {
    expect(formatHcl('a {\n\n\nb = 1\n\n\nc = 2\n\n}\nd "e" {\n}\n\n\n\n# f\ng {\nh = [\n]\n}\n')).toBe(
      'a {\n  b = 1\n\n  c = 2\n}\n\nd "e" {}\n\n# f\ng {\n  h = []\n}\n',
    );
  });

  it("is idempotent", () => {
    const once = formatHcl(TRICKY);
    expect(formatHcl(once)).toBe(once);
  });

  it("writes what terraform fmt -check accepts, for every construct of the language it meets", async () => {
    const result = await terraformFmtCheck(formatHcl(TRICKY));
    expect(result.output).toBe("");
    expect(result.status).toBe(0);
  });

  it("writes exactly what terraform fmt writes from text whose blank lines and brackets are already regular", async () => {
    // terraform fmt keeps blank lines and empty brackets as it finds them; everything else it decides.
    const unindented = formatHcl(TRICKY)
      .split("\n")
      .map((line) => line.trimStart())
      .join("\n");
    expect(formatHcl(unindented)).toBe(await terraformFmt(unindented));
  });
});
