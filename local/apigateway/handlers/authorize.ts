/**
 * The authorize stage: one handler per authorization type of the route's method, as far as it
 * can be done offline. A refusal answers through the gateway responses stage with AWS's status:
 * 401 UNAUTHORIZED ({"message":"Unauthorized"}) for a missing, malformed, expired or otherwise
 * invalid token, 403 ACCESS_DENIED for a Lambda authorizer's explicit Deny (API Gateway Developer
 * Guide, "Gateway response types for API Gateway": UNAUTHORIZED 401 "The custom or Amazon Cognito
 * authorizer failed to authenticate the caller", ACCESS_DENIED 403 "The authorization failed").
 *
 * - COGNITO_USER_POOLS ("Control access to REST APIs using Amazon Cognito user pools as an
 *   authorizer"): the token of the identity source (the Authorization header) must be unexpired
 *   (exp, nbf), issued by one of the authorizer's pools (iss
 *   https://cognito-idp.<region>.amazonaws.com/<pool id>), an ID token when the method has no
 *   scopes and an access token holding one of them when it has ("Integrate a REST API with an
 *   Amazon Cognito user pool": with OAuth scopes on the method, an access token is required;
 *   AWS Knowledge Center "api-gateway-cognito-401-unauthorized": a token without them is 401).
 *   Its signature is checked against the local key set of the settings (LOCAL_COGNITO_JWKS), and
 *   its audience (an ID token's aud, an access token's client_id) against the local app client
 *   IDs (LOCAL_COGNITO_CLIENT_IDS); without them, they are not checked (the server warns at start).
 *   Its claims are $context.authorizer.claims.
 * - CUSTOM (a Lambda authorizer, "Use API Gateway Lambda authorizers"): the function is not
 *   called; the local policy of the settings (LOCAL_AUTHORIZER_POLICY) answers for each identity
 *   (the TOKEN's header, or a REQUEST's identity sources joined by ","): Allow (its principalId and
 *   context become $context.authorizer.principalId and .<key>), Deny (403), or no entry
 *   ("Unauthorized", 401). A missing identity source, or a token that does not match the identity
 *   validation expression, is 401 without calling the function, as on AWS. Without a local
 *   policy every identity is denied: never silently open.
 * - AWS_IAM: SigV4 signatures are not checked (the server warns at start); NONE: nothing to check.
 */
import { createLocalJWKSet, decodeJwt, type JSONWebKeySet, type JWTPayload, jwtVerify } from "jose";
import type { AuthorizerModel, RouteModel } from "../../stack-reader";
import { GatewayError, type Handler, headerValue, type RequestContext, requestSideValue } from "../context";

/** What a Lambda authorizer answers for one identity, in the local policy. */
export interface LocalAuthorizerAnswer {
  readonly effect: "Allow" | "Deny";
  /** $context.authorizer.principalId. @default the identity */
  readonly principalId?: string;
  /** $context.authorizer.<key>: strings, numbers and booleans, as a Lambda authorizer's context. @default {} */
  readonly context?: Readonly<Record<string, string | number | boolean>>;
}

/** The local answers of Lambda authorizers, by identity. */
export type LocalAuthorizerPolicy = Readonly<Record<string, LocalAuthorizerAnswer>>;

/** How the local API checks authorizers (local/server.ts reads them from the environment). */
export interface LocalAuthorizerSettings {
  /** The key set Cognito tokens' signatures are checked against. @default none: signatures are not checked */
  readonly cognitoJwks?: JSONWebKeySet;
  /** The app client IDs a Cognito token may be for (ID token aud, access token client_id). @default none: not checked */
  readonly cognitoClientIds?: readonly string[];
  /** The answers of Lambda authorizers. @default none: every identity is denied */
  readonly lambdaPolicy?: LocalAuthorizerPolicy;
  /** The clock, in seconds since the epoch. @default now */
  readonly now?: () => number;
}

/** The issuer of a user pool's tokens, from its ARN: https://cognito-idp.<region>.amazonaws.com/<pool id>. */
export function cognitoIssuer(userPoolArn: string): string {
  const match = /^arn:aws[a-z-]*:cognito-idp:([a-z0-9-]+):[0-9]{12}:userpool\/(.+)$/.exec(userPoolArn);
  if (!match) throw new Error(`${userPoolArn} is not a Cognito user pool ARN`);
  return `https://cognito-idp.${match[1]}.amazonaws.com/${match[2]}`;
}

/** API Gateway's words for the refusals. */
const UNAUTHORIZED = () => new GatewayError("UNAUTHORIZED", "Unauthorized");
const EXPLICIT_DENY = () => new GatewayError("ACCESS_DENIED", "User is not authorized to access this resource with an explicit deny");

/** Checks the caller by the route's authorization type; sets $context.authorizer when an authorizer let it in. */
export class AuthorizeHandler implements Handler {
  private readonly keySet?: ReturnType<typeof createLocalJWKSet>;
  private readonly now: () => number;

  constructor(private readonly settings: LocalAuthorizerSettings = {}) {
    this.keySet = settings.cognitoJwks && createLocalJWKSet(settings.cognitoJwks);
    this.now = settings.now ?? (() => Math.floor(Date.now() / 1000));
  }

  async handle(context: RequestContext): Promise<void> {
    const route = context.route!;
    if (route.authorization === "COGNITO_USER_POOLS") context.authorizer = { claims: await this.cognitoClaims(context, route) };
    else if (route.authorization === "CUSTOM") context.authorizer = this.lambdaAnswer(context, route.authorizer!);
  }

  /** The claims of a valid Cognito token, or a 401. */
  private async cognitoClaims(context: RequestContext, route: RouteModel): Promise<Record<string, string>> {
    const authorizer = route.authorizer!;
    const header = /^method\.request\.header\.(.+)$/.exec(authorizer.identitySource)?.[1] ?? "Authorization";
    const raw = headerValue(context.headers, header)?.trim();
    if (!raw) throw UNAUTHORIZED();
    const token = raw.replace(/^Bearer\s+/i, "");
    let claims: JWTPayload;
    try {
      claims = this.keySet ? (await jwtVerify(token, this.keySet, { currentDate: new Date(this.now() * 1000) })).payload : decodeJwt(token);
    } catch {
      throw UNAUTHORIZED();
    }
    const now = this.now();
    if (typeof claims.exp !== "number" || claims.exp <= now) throw UNAUTHORIZED();
    if (typeof claims.nbf === "number" && claims.nbf > now) throw UNAUTHORIZED();
    if (!authorizer.providerArns.map(cognitoIssuer).includes(String(claims.iss))) throw UNAUTHORIZED();
    const use = claims.token_use;
    const scopes = route.authorizationScopes;
    if (scopes.length === 0 ? use !== "id" : use !== "access") throw UNAUTHORIZED();
    const granted = typeof claims.scope === "string" ? claims.scope.split(" ") : [];
    if (scopes.length > 0 && !scopes.some((scope) => granted.includes(scope))) throw UNAUTHORIZED();
    const clientIds = this.settings.cognitoClientIds;
    const audience = use === "id" ? claims.aud : claims.client_id;
    if (clientIds && !(Array.isArray(audience) ? audience : [audience]).some((id) => typeof id === "string" && clientIds.includes(id))) {
      throw UNAUTHORIZED();
    }
    return Object.fromEntries(
      Object.entries(claims).map(([name, value]) => [
        name,
        typeof value === "string" ? value : Array.isArray(value) ? value.join(",") : String(value),
      ]),
    );
  }

  /** What the local policy answers for the request's identity: $context.authorizer, or a 401 or 403. */
  private lambdaAnswer(context: RequestContext, authorizer: AuthorizerModel): Record<string, unknown> {
    const values = authorizer.identitySource.split(",").map((source) => requestSideValue(source.trim(), context));
    if (values.some((value) => value === undefined || value === "")) throw UNAUTHORIZED();
    const identity = values.join(",");
    if (
      authorizer.type === "TOKEN" &&
      authorizer.identityValidationExpression &&
      !new RegExp(authorizer.identityValidationExpression).test(identity)
    ) {
      throw UNAUTHORIZED();
    }
    const policy = this.settings.lambdaPolicy;
    if (!policy) throw EXPLICIT_DENY();
    const answer = Object.hasOwn(policy, identity) ? policy[identity] : undefined;
    if (!answer) throw UNAUTHORIZED();
    if (answer.effect !== "Allow") throw EXPLICIT_DENY();
    return { ...answer.context, principalId: answer.principalId ?? identity };
  }
}

/** A local policy file's text, checked: `{"<identity>": {"effect": "Allow"|"Deny", "principalId"?: string, "context"?: {...}}}`. */
export function parseLocalAuthorizerPolicy(text: string, source: string): LocalAuthorizerPolicy {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`${source} is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new Error(`${source}: must be an object of identities`);
  for (const [identity, answer] of Object.entries(parsed)) {
    const where = `${source}: ${JSON.stringify(identity)}`;
    const a = answer as Record<string, unknown>;
    if (typeof a !== "object" || a === null || (a.effect !== "Allow" && a.effect !== "Deny"))
      throw new Error(`${where}: "effect" must be "Allow" or "Deny"`);
    for (const key of Object.keys(a))
      if (!["effect", "principalId", "context"].includes(key)) throw new Error(`${where}: unknown field "${key}"`);
    if (a.principalId !== undefined && typeof a.principalId !== "string") throw new Error(`${where}: "principalId" must be a string`);
    const values = a.context;
    if (
      values !== undefined &&
      (typeof values !== "object" ||
        values === null ||
        Array.isArray(values) ||
        Object.values(values).some((v) => !["string", "number", "boolean"].includes(typeof v)))
    ) {
      throw new Error(
        `${where}: "context" must be an object of strings, numbers and booleans (what a Lambda authorizer's context may hold)`,
      );
    }
  }
  return parsed as LocalAuthorizerPolicy;
}

/** A JWKS file's text, checked: `{"keys": [...]}` with public keys jose can use. */
export function parseJwks(text: string, source: string): JSONWebKeySet {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`${source} is not valid JSON: ${(error as Error).message}`);
  }
  const keys = (parsed as { keys?: unknown })?.keys;
  if (
    !Array.isArray(keys) ||
    keys.length === 0 ||
    keys.some((key) => typeof key !== "object" || key === null || typeof key.kty !== "string")
  ) {
    throw new Error(
      `${source}: must be a JSON Web Key Set, {"keys": [{"kty": ..., "kid": ..., ...}]} (a user pool's /.well-known/jwks.json)`,
    );
  }
  if (keys.some((key) => "d" in key)) throw new Error(`${source}: holds a private key ("d"): give the public keys only`);
  return parsed as JSONWebKeySet;
}
