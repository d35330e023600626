import { describe, expect, it } from "vitest";
import { describeLocation } from "../../lang/asl-validation";

describe("describeLocation", () => {
  it("names the state and the field of a location in the machine's States", () => {
    expect(describeLocation("/States/Pass/QueryLanguage")).toBe('state "Pass", field QueryLanguage');
  });

  it("names the innermost state of a Map processor or a Parallel branch, in AWS's form and as a JSON pointer", () => {
    expect(describeLocation("/States/M/ItemProcessor/States/Inner/Next")).toBe('state "Inner", field Next');
    expect(describeLocation("/States/P/Branches[0]/States/B/Type")).toBe('state "B", field Type');
    expect(describeLocation("/States/P/Branches/1/States/B/Choices/0/Condition")).toBe('state "B", field Choices/0/Condition');
  });

  it("names a state without a field when the location is the state", () => {
    expect(describeLocation("/States/Pass")).toBe('state "Pass"');
  });

  it("names the top level outside any state", () => {
    expect(describeLocation("/")).toBe("the top level");
    expect(describeLocation("/StartAt")).toBe("the top level, field StartAt");
  });
});
