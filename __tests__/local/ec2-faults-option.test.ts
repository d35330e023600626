/**
 * `npm run local` with a faulty EC2: LOCAL_EC2_FAULTS read from the environment, said in the
 * banner, and applied to the simulated EC2 the workflows call.
 */
import { describe, expect, it } from "vitest";
import { localOptionsFromEnv, startLocalApi } from "../../local/server";
import { synthStack } from "../support/synth";

describe("LOCAL_EC2_FAULTS", () => {
  it("is read into the ec2Faults option", () => {
    expect(localOptionsFromEnv({ LOCAL_EC2_FAULTS: "code=InternalError,next=3" }).ec2Faults).toMatchObject({
      code: "InternalError",
      next: 3,
      rate: 0,
    });
    expect(localOptionsFromEnv({}).ec2Faults).toBeUndefined();
  });

  it("is refused, naming the variable, when it makes no sense", () => {
    expect(() => localOptionsFromEnv({ LOCAL_EC2_FAULTS: "rate=2" })).toThrow(/LOCAL_EC2_FAULTS: .*rate must be a number from 0 to 1/);
  });

  it("is said in the banner and throttles the workflows' EC2 calls", async () => {
    const api = await startLocalApi({ stackDir: synthStack().stackDir, port: 0, log: false, waitScale: 0.01, ec2Faults: { rate: 1 } });
    try {
      expect(api.banner).toContain("EC2 faults injected: RequestLimitExceeded on 100% of the calls");
      const response = await fetch(`${api.url}/express-instance`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ instance_id: "i-0123456789abcdef0" }),
      });
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({ status: "FAILED", error: "Ec2.Unavailable" });
    } finally {
      await api.close();
    }
  });
});
