/**
 * AWS Signature Version 4 for HTTP requests (header signing), as the IAM-protected API expects
 * from callers: service "execute-api", the region of the API. Written with node:crypto after
 * "Create a signed AWS API request" in the IAM User Guide; checked against the AWS SigV4 test
 * suite's vanilla vectors (see __tests__/local/sigv4.test.ts).
 */
import { createHash, createHmac } from "node:crypto";

export interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export interface SignableRequest {
  readonly method: string;
  readonly url: string;
  /** Header names in any case; host is taken from the URL. */
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
}

export interface SignOptions {
  readonly credentials: Credentials;
  readonly region: string;
  /** @default "execute-api" */
  readonly service?: string;
  /** @default now */
  readonly date?: Date;
}

const sha256 = (data: string) => createHash("sha256").update(data, "utf8").digest("hex");
const hmac = (key: string | Buffer, data: string) => createHmac("sha256", key).update(data, "utf8").digest();

/** RFC 3986 percent-encoding, as SigV4 requires (unreserved characters kept). */
function encode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The headers to send: the given ones plus host, x-amz-date, x-amz-security-token and Authorization. */
export function signRequest(request: SignableRequest, options: SignOptions): Record<string, string> {
  const url = new URL(request.url);
  const service = options.service ?? "execute-api";
  const amzDate = (options.date ?? new Date())
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
  const day = amzDate.slice(0, 8);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers ?? {})) headers[name.toLowerCase()] = value;
  headers.host = url.host;
  headers["x-amz-date"] = amzDate;
  if (options.credentials.sessionToken) headers["x-amz-security-token"] = options.credentials.sessionToken;

  // Non-S3 services: each path segment encoded once more (the path is already percent-encoded).
  const canonicalPath =
    url.pathname === ""
      ? "/"
      : url.pathname
          .split("/")
          .map((segment) => encode(decodeURIComponentSafe(segment)))
          .map(encode)
          .join("/");
  const canonicalQuery = [...url.searchParams.entries()]
    .map(([k, v]) => [encode(k), encode(v)])
    .sort(([ak, av], [bk, bv]) => (ak === bk ? (av < bv ? -1 : 1) : ak < bk ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join("&");
  const names = Object.keys(headers).sort();
  const canonicalHeaders = names.map((name) => `${name}:${headers[name].trim().replace(/\s+/g, " ")}\n`).join("");
  const signedHeaders = names.join(";");
  const canonicalRequest = [
    request.method.toUpperCase(),
    canonicalPath,
    canonicalQuery,
    canonicalHeaders,
    signedHeaders,
    sha256(request.body ?? ""),
  ].join("\n");

  const scope = `${day}/${options.region}/${service}/aws4_request`;
  const stringToSign = ["AWS4-HMAC-SHA256", amzDate, scope, sha256(canonicalRequest)].join("\n");
  let key: Buffer = hmac(`AWS4${options.credentials.secretAccessKey}`, day);
  for (const part of [options.region, service, "aws4_request"]) key = hmac(key, part);
  const signature = createHmac("sha256", key).update(stringToSign, "utf8").digest("hex");

  const out: Record<string, string> = { ...request.headers };
  for (const name of Object.keys(out)) if (name.toLowerCase() === "host") delete out[name];
  out["x-amz-date"] = amzDate;
  if (options.credentials.sessionToken) out["x-amz-security-token"] = options.credentials.sessionToken;
  out.Authorization = `AWS4-HMAC-SHA256 Credential=${options.credentials.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
  return out;
}

function decodeURIComponentSafe(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Credentials from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (/ AWS_SESSION_TOKEN), if both are set. */
export function credentialsFromEnv(env: Readonly<Record<string, string | undefined>>): Credentials | undefined {
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey) return undefined;
  return { accessKeyId, secretAccessKey, sessionToken: env.AWS_SESSION_TOKEN || undefined };
}

/** The region of an execute-api URL (https://<id>.execute-api.<region>.amazonaws.com/...), if it is one. */
export function regionOfUrl(url: string): string | undefined {
  return /\.execute-api\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?$/.exec(new URL(url).hostname)?.[1];
}
