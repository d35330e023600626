/** scripts/lib/sigv4.ts: requests signed as AWS expects (the AWS SigV4 test suite's vanilla cases). */
import { describe, expect, it } from "vitest";
import { credentialsFromEnv, regionOfUrl, signRequest } from "../../scripts/lib/sigv4";

const credentials = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" };
const options = { credentials, region: "us-east-1", service: "service", date: new Date("2015-08-30T12:36:00Z") };
const scope = "Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date";

describe("signing", () => {
  it.each([
    ["GET", "https://example.amazonaws.com/", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"],
    ["POST", "https://example.amazonaws.com/", "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"],
    [
      "GET",
      "https://example.amazonaws.com/?Param2=value2&Param1=value1",
      "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500",
    ],
  ])("signs %s %s as the test suite does", async (method, url, signature) => {
    const headers = await signRequest({ method, url }, options);
    expect(headers.Authorization).toBe(`AWS4-HMAC-SHA256 ${scope}, Signature=${signature}`);
    expect(headers["x-amz-date"]).toBe("20150830T123600Z");
  });

  it("signs and sends the session token of temporary credentials", async () => {
    const headers = await signRequest(
      { method: "GET", url: "https://example.amazonaws.com/" },
      { ...options, credentials: { ...credentials, sessionToken: "token" } },
    );
    expect(headers["x-amz-security-token"]).toBe("token");
    expect(headers.Authorization).toContain("SignedHeaders=host;x-amz-date;x-amz-security-token,");
  });
});

describe("where credentials and the region come from", () => {
  it("reads credentials from the environment only when both keys are set", () => {
    expect(credentialsFromEnv({ AWS_ACCESS_KEY_ID: "a" })).toBeUndefined();
    expect(credentialsFromEnv({ AWS_ACCESS_KEY_ID: "a", AWS_SECRET_ACCESS_KEY: "b", AWS_SESSION_TOKEN: "c" })).toEqual({
      accessKeyId: "a",
      secretAccessKey: "b",
      sessionToken: "c",
    });
  });

  it("reads the region from an execute-api URL", () => {
    expect(regionOfUrl("https://abc123.execute-api.eu-west-3.amazonaws.com/v1")).toBe("eu-west-3");
    expect(regionOfUrl("http://localhost:3000/v1")).toBeUndefined();
  });
});
