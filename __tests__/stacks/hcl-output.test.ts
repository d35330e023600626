/** stacks/hcl-output.ts: the repairs of cdktf's HCL writer. */
import { describe, expect, it } from "vitest";
import { mendHcl } from "../../stacks/hcl-output";

describe("mending cdktf's HCL output", () => {
  it("unquotes depends_on references, which Terraform otherwise warns about", () => {
    const hcl = 'resource "a" "b" {\nname = "x"\ndepends_on = [\n"aws_iam_role_policy.grant",\n"aws_instance.demo",\n]\n}\n';
    expect(mendHcl(hcl)).toBe('resource "a" "b" {\nname = "x"\ndepends_on = [\naws_iam_role_policy.grant,\naws_instance.demo,\n]\n}\n');
  });

  it("unquotes ignore_changes attribute names too", () => {
    const hcl = 'lifecycle {\nignore_changes = [\n"ami",\n]\n}\n';
    expect(mendHcl(hcl)).toBe("lifecycle {\nignore_changes = [\nami,\n]\n}\n");
  });

  it("leaves quoted strings outside depends_on and ignore_changes alone", () => {
    const hcl = 'tags = [\n"aws_iam_role_policy.grant",\n]\nname = "aws_instance.demo"\n';
    expect(mendHcl(hcl)).toBe(hcl);
  });

  it("writes the falsy defaults of variables that cdktf leaves out", () => {
    const hcl = 'variable "a" {\ndescription = "x"\n}\nvariable "b" {\ndefault = true\n}\nvariable "c" {\ntype = string\n}\n';
    expect(mendHcl(hcl, {}, { a: false, c: "" })).toBe(
      'variable "a" {\ndefault = false\ndescription = "x"\n}\nvariable "b" {\ndefault = true\n}\nvariable "c" {\ndefault = ""\ntype = string\n}\n',
    );
  });

  it("writes the terraform block's required_version that cdktf writes by index", () => {
    const hcl = 'terraform {\nrequired_providers {\n}\n\n  0 = "required_version"\n}\n';
    expect(mendHcl(hcl, { required_version: ">= 1.9.0" })).toBe(
      'terraform {\nrequired_providers {\n}\n\n  required_version = ">= 1.9.0"\n}\n',
    );
  });

  it("writes a lifecycle's preconditions, which cdktf writes as a list, as blocks", () => {
    const hcl =
      'lifecycle {\nprecondition = [\n{\ncondition = "${(var.a >= 1)}"\nerror_message = "a is ${format("%d", var.a)}."\n},\n{\ncondition = "${var.b}"\nerror_message = "b."\n},\n]\n}\n';
    expect(mendHcl(hcl)).toBe(
      'lifecycle {\nprecondition {\ncondition = "${(var.a >= 1)}"\nerror_message = "a is ${format("%d", var.a)}."\n}\nprecondition {\ncondition = "${var.b}"\nerror_message = "b."\n}\n}\n',
    );
  });
});
