/**
 * The local API's authorize stage over HTTP, on stacks synthesized with each authorizer: Cognito
 * tokens signed with a key made here, refused with AWS's 401 when expired, for another audience,
 * another pool, the wrong token use or scope, or another key; Lambda authorizers answered by the
 * local policy, never open without one; the authorizer's claims and context in $context.authorizer.
 */
import { exportJWK, generateKeyPair, type JWTPayload, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cognitoIssuer, parseJwks, parseLocalAuthorizerPolicy } from "../../../../local/apigateway/handlers/authorize";
import { type LocalApi, type LocalApiOptions, startLocalApi } from "../../../../local/server";
import { synthStack, testConfig } from "../../../support/synth";
import { writeFixtureStack } from "../../fixture-stack";

const POOL = "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbCdEf123";
const OTHER_POOL = "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Other0000";
const ISSUER = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEf123";
const CLIENT = "5k2jexampleclientid0000000";
const FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:orders-authorizer";
const BODY = JSON.stringify({ instance_id: "i-0123456789abcdef0", action: "start" });

type Key = Awaited<ReturnType<typeof generateKeyPair>>;
let key: Key;
let otherKey: Key;
let jwks: { keys: Record<string, unknown>[] };

beforeAll(async () => {
  key = await generateKeyPair("RS256");
  otherKey = await generateKeyPair("RS256");
  jwks = { keys: [{ ...(await exportJWK(key.publicKey)), kid: "local-1", alg: "RS256", use: "sig" }] };
});

const now = () => Math.floor(Date.now() / 1000);

/** A Cognito token: an ID token for CLIENT by default, valid for an hour. */
async function token(claims: JWTPayload = {}, signer: Key = key): Promise<string> {
  return new SignJWT({ sub: "user-1", token_use: "id", aud: CLIENT, iss: ISSUER, exp: now() + 3600, "cognito:username": "ada", ...claims })
    .setProtectedHeader({ alg: "RS256", kid: "local-1" })
    .sign(signer.privateKey);
}

/** An access token for CLIENT with `scope`. */
function accessToken(scope: string, claims: JWTPayload = {}): Promise<string> {
  return token({ token_use: "access", aud: undefined, client_id: CLIENT, scope, ...claims });
}

async function call(api: LocalApi, path: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${api.url}/${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...headers },
    body: BODY,
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

async function serve(stackDir: string, options: LocalApiOptions = {}): Promise<LocalApi> {
  return startLocalApi({ stackDir, port: 0, log: false, ec2TransitionDelayMs: 10, ...options });
}

describe("Cognito user pool authorizer", () => {
  let api: LocalApi;
  beforeAll(async () => {
    const config = testConfig({ authorization: "COGNITO_USER_POOLS", cognitoUserPoolArns: POOL });
    // The standard workflow's routes want an access token with orders/read.
    const workflows = config.workflows.map((w) => (w.name === "standard" ? { ...w, authorizationScopes: ["orders/read"] } : w));
    api = await serve(synthStack({ config, workflows }).stackDir, {
      authorizers: { cognitoJwks: parseJwks(JSON.stringify(jwks), "test"), cognitoClientIds: [CLIENT] },
    });
  });
  afterAll(() => api?.close());

  it("lets a valid ID token of the pool in", async () => {
    expect((await call(api, "express-instance", { Authorization: await token() })).status).toBe(200);
  });

  it("takes the token after a Bearer prefix too", async () => {
    expect((await call(api, "express-instance", { Authorization: `Bearer ${await token()}` })).status).toBe(200);
  });

  it("refuses a request without a token with 401 Unauthorized, through the stack's gateway response", async () => {
    expect(await call(api, "express-instance")).toEqual({ status: 401, json: { error: "Unauthorized", message: "Unauthorized" } });
  });

  it("refuses an expired token with 401", async () => {
    const reply = await call(api, "express-instance", { Authorization: await token({ exp: now() - 10 }) });
    expect(reply).toEqual({ status: 401, json: { error: "Unauthorized", message: "Unauthorized" } });
  });

  it("refuses a token not valid yet (nbf) with 401", async () => {
    expect((await call(api, "express-instance", { Authorization: await token({ nbf: now() + 600 }) })).status).toBe(401);
  });

  it("refuses an ID token for another app client (aud) with 401", async () => {
    expect((await call(api, "express-instance", { Authorization: await token({ aud: "another-client" }) })).status).toBe(401);
  });

  it("refuses a token of another user pool (iss) with 401", async () => {
    const iss = cognitoIssuer(OTHER_POOL);
    expect((await call(api, "express-instance", { Authorization: await token({ iss }) })).status).toBe(401);
  });

  it("refuses a token signed by another key with 401", async () => {
    expect((await call(api, "express-instance", { Authorization: await token({}, otherKey) })).status).toBe(401);
  });

  it("refuses a malformed token with 401", async () => {
    expect((await call(api, "express-instance", { Authorization: "not-a-jwt" })).status).toBe(401);
  });

  it("wants an ID token where the method has no scopes: an access token is 401", async () => {
    expect((await call(api, "express-instance", { Authorization: await accessToken("orders/read") })).status).toBe(401);
  });

  it("lets an access token holding one of the method's scopes in", async () => {
    expect((await call(api, "standard-instance", { Authorization: await accessToken("openid orders/read") })).status).toBe(202);
  });

  it("refuses, where the method has scopes, an access token without them, one for another client, and an ID token, with 401", async () => {
    expect((await call(api, "standard-instance", { Authorization: await accessToken("orders/write") })).status).toBe(401);
    expect((await call(api, "standard-instance", { Authorization: await accessToken("orders/read", { client_id: "x" }) })).status).toBe(
      401,
    );
    expect((await call(api, "standard-instance", { Authorization: await token() })).status).toBe(401);
  });

  it("says at start what it checks", () => {
    expect(api.banner.join("\n")).toContain("Cognito authorizer (3 routes): tokens checked for expiry, issuer, token use and scopes");
    expect(api.banner.join("\n")).not.toContain("NOT checked");
  });
});

describe("Cognito user pool authorizer without a local key set", () => {
  let api: LocalApi;
  beforeAll(async () => {
    api = await serve(synthStack({ config: testConfig({ authorization: "COGNITO_USER_POOLS", cognitoUserPoolArns: POOL }) }).stackDir);
  });
  afterAll(() => api?.close());

  it("warns at start that signatures and audiences are not checked", () => {
    const banner = api.banner.join("\n");
    expect(banner).toContain("WARNING: Cognito token signatures are NOT checked (set LOCAL_COGNITO_JWKS");
    expect(banner).toContain("WARNING: Cognito tokens' audience (aud, client_id) is NOT checked (set LOCAL_COGNITO_CLIENT_IDS");
  });

  it("accepts a token of any key, but still refuses an expired one", async () => {
    expect((await call(api, "express-instance", { Authorization: await token({}, otherKey) })).status).toBe(200);
    expect((await call(api, "express-instance", { Authorization: await token({ exp: now() - 1 }, otherKey) })).status).toBe(401);
  });
});

describe("Lambda authorizer", () => {
  const stack = () => synthStack({ config: testConfig({ authorization: "CUSTOM", authorizerFunctionArn: FUNCTION }) }).stackDir;
  let open: LocalApi;
  let closed: LocalApi;
  beforeAll(async () => {
    const policy = parseLocalAuthorizerPolicy(
      JSON.stringify({ "allow-token": { effect: "Allow", principalId: "user-1" }, "deny-token": { effect: "Deny" } }),
      "test policy",
    );
    const dir = stack();
    [open, closed] = await Promise.all([serve(dir, { authorizers: { lambdaPolicy: policy } }), serve(dir)]);
  });
  afterAll(async () => {
    await open?.close();
    await closed?.close();
  });

  it("lets in a token the local policy allows", async () => {
    expect((await call(open, "express-instance", { Authorization: "allow-token" })).status).toBe(200);
  });

  it("refuses a token the local policy denies with 403 AccessDenied", async () => {
    const reply = await call(open, "express-instance", { Authorization: "deny-token" });
    expect(reply.status).toBe(403);
    expect(reply.json).toEqual({ error: "AccessDenied", message: "User is not authorized to access this resource with an explicit deny" });
  });

  it("refuses a token the local policy does not know, and a request without one, with 401", async () => {
    expect((await call(open, "express-instance", { Authorization: "who-knows" })).status).toBe(401);
    expect((await call(open, "express-instance")).status).toBe(401);
  });

  it("refuses every request without a local policy: 403 with a token, 401 without, and says so at start", async () => {
    expect((await call(closed, "express-instance", { Authorization: "allow-token" })).status).toBe(403);
    expect((await call(closed, "express-instance")).status).toBe(401);
    expect(closed.banner.join("\n")).toContain(
      "no local policy is set (LOCAL_AUTHORIZER_POLICY): every request to its 3 routes is refused",
    );
  });
});

describe("$context.authorizer", () => {
  /** The fixture stack's POST /jobs behind `authorizer`, its 202 template echoing `echo`. */
  function fixture(authorizer: Record<string, unknown>, authorization: string, echo: string): string {
    return writeFixtureStack((json) => {
      json.resource.aws_api_gateway_authorizer = {
        auth: { rest_api_id: "${aws_api_gateway_rest_api.api.id}", name: "auth", ...authorizer },
      };
      Object.assign(json.resource.aws_api_gateway_method.start, { authorization, authorizer_id: "${aws_api_gateway_authorizer.auth.id}" });
      json.resource.aws_api_gateway_integration_response.start_202.response_templates = { "application/json": echo };
    });
  }
  const jobs = async (api: LocalApi, authorization: string) =>
    (
      await fetch(`${api.url}/jobs`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Authorization: authorization },
        body: '{"task":"build"}',
      })
    ).json();

  it("holds a Cognito token's claims for the templates", async () => {
    const dir = fixture(
      { type: "COGNITO_USER_POOLS", provider_arns: [POOL.replace("us-east-1:", "eu-west-1:").replace("us-east-1_", "eu-west-1_")] },
      "COGNITO_USER_POOLS",
      '{"sub": "$context.authorizer.claims.sub", "user": "$context.authorizer.claims[\'cognito:username\']"}',
    );
    const api = await serve(dir);
    try {
      const iss = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123";
      expect(await jobs(api, await token({ iss, sub: "user-42" }))).toEqual({ sub: "user-42", user: "ada" });
    } finally {
      await api.close();
    }
  });

  it("holds a Lambda authorizer's principalId and context for the templates", async () => {
    const dir = fixture(
      {
        type: "TOKEN",
        identity_source: "method.request.header.Authorization",
        authorizer_uri: "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/x/invocations",
      },
      "CUSTOM",
      '{"principal": "$context.authorizer.principalId", "tenant": "$context.authorizer.tenant"}',
    );
    const policy = { "t-1": { effect: "Allow" as const, principalId: "svc-7", context: { tenant: "acme" } } };
    const api = await serve(dir, { authorizers: { lambdaPolicy: policy } });
    try {
      expect(await jobs(api, "t-1")).toEqual({ principal: "svc-7", tenant: "acme" });
    } finally {
      await api.close();
    }
  });
});

describe("Lambda REQUEST authorizer", () => {
  let api: LocalApi;
  beforeAll(async () => {
    const identity = "method.request.header.X-Tenant,method.request.querystring.token";
    const config = testConfig({
      authorization: "CUSTOM",
      authorizerFunctionArn: FUNCTION,
      authorizerType: "REQUEST",
      authorizerIdentitySource: identity,
    });
    api = await serve(synthStack({ config }).stackDir, { authorizers: { lambdaPolicy: { "acme,t-1": { effect: "Allow" } } } });
  });
  afterAll(() => api?.close());

  it("answers for the identity sources' values joined by commas, and 401 when one is missing", async () => {
    expect((await call(api, "express-instance?token=t-1", { "X-Tenant": "acme" })).status).toBe(200);
    expect((await call(api, "express-instance?token=t-2", { "X-Tenant": "acme" })).status).toBe(401);
    expect((await call(api, "express-instance", { "X-Tenant": "acme" })).status).toBe(401);
  });
});

describe("the local authorizer settings", () => {
  it("refuse a policy entry without an Allow or Deny effect, naming it", () => {
    expect(() => parseLocalAuthorizerPolicy('{"t": {"effect": "allow"}}', "policy.json")).toThrow(
      /policy.json: "t": "effect" must be "Allow" or "Deny"/,
    );
  });

  it("refuse a key set holding a private key", async () => {
    const extractable = await generateKeyPair("RS256", { extractable: true });
    const secret = { keys: [{ ...(await exportJWK(extractable.privateKey)), kid: "k" }] };
    expect(() => parseJwks(JSON.stringify(secret), "jwks.json")).toThrow(/jwks.json: holds a private key/);
  });
});
