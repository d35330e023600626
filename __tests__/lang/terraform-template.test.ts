import { describe, expect, it } from "vitest";
import { checkTemplateVariables, parseTemplate, renderTemplate, toTerraformString } from "../../lang/terraform-template";

describe("Terraform templates", () => {
  it("lists the variables a template references", () => {
    expect(parseTemplate('{"a": "${first}", "b": ${second}, "c": "${first}"}', "t.tftpl").variables).toEqual(["first", "second"]);
  });

  it("renders $${ and %%{ as literal ${ and %{, as templatefile() does", () => {
    expect(renderTemplate(parseTemplate("$${x} %%{y} ${z}", "t.tftpl"), { z: 1 })).toBe("${x} %{y} 1");
  });

  it("keeps escapes escaped when the template is inlined as a Terraform string", () => {
    expect(toTerraformString(parseTemplate("$${x} %%{y} ${z}", "t.tftpl"), { z: "${aws_x.y.arn}" })).toBe("$${x} %%{y} ${aws_x.y.arn}");
  });

  it("refuses a variable that is used but not passed, naming the file and the variable", () => {
    const template = parseTemplate('"${instance_id}"', "templates/x.tftpl");
    expect(() => checkTemplateVariables(template, [])).toThrow(
      "templates/x.tftpl: the template uses ${instance_id} but no value is passed for it",
    );
  });

  it("refuses a variable that is passed but never used, as the article's template_file did", () => {
    const template = parseTemplate("{}", "templates/x.tftpl");
    expect(() => checkTemplateVariables(template, ["instance_id"])).toThrow(
      "templates/x.tftpl: variable instance_id is passed but the template never uses it",
    );
  });

  it("refuses expressions and directives it cannot check, with the line number", () => {
    expect(() => parseTemplate('{\n"a": "${upper(x)}"}', "t.tftpl")).toThrow(
      /t.tftpl: line 2: "\$\{upper\(x\)\}" is not a plain variable reference/,
    );
    expect(() => parseTemplate("%{ if x }a%{ endif }", "t.tftpl")).toThrow(/t.tftpl: line 1: template directives/);
    expect(() => parseTemplate("${x", "t.tftpl")).toThrow(/never closed/);
  });
});
