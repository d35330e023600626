/** Slow checks run once per accepted text, across runs; a rejected text is checked every time. */
import { describe, expect, it } from "vitest";
import { checkOnce } from "../../../stacks/constructs/accepted-cache";

describe("checkOnce", () => {
  const kind = `accepted-cache test ${process.pid} ${Date.now()}`;

  it("does not check again a text it accepted, for the same kind of check only", () => {
    let checks = 0;
    const check = () => void checks++;
    checkOnce(kind, "good", check);
    checkOnce(kind, "good", check);
    expect(checks).toBe(1);
    checkOnce(`${kind} v2`, "good", check);
    checkOnce(kind, "other", check);
    expect(checks).toBe(3);
  });

  it("checks a rejected text every time, and reports it every time", () => {
    let checks = 0;
    const reject = () => {
      checks++;
      throw new Error("bad text");
    };
    expect(() => checkOnce(kind, "bad", reject)).toThrow("bad text");
    expect(() => checkOnce(kind, "bad", reject)).toThrow("bad text");
    expect(checks).toBe(2);
  });
});
