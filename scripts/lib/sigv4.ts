/**
 * AWS Signature Version 4 for HTTP requests (header signing), as the IAM-protected API expects
 * from callers: service "execute-api", the region of the API. Signed by @smithy/signature-v4, the
 * AWS SDK for JavaScript's own signer, with node:crypto's SHA-256 (@smithy/core's Hash); checked
 * against the AWS SigV4 test suite's vanilla vectors (see __tests__/local/sigv4.test.ts).
 */
import { HttpRequest } from "@smithy/core/protocols";
import { Hash } from "@smithy/core/serde";
import { SignatureV4 } from "@smithy/signature-v4";

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

/** The headers to send: the given ones plus x-amz-date, x-amz-security-token and Authorization (host is the URL's). */
export async function signRequest(request: SignableRequest, options: SignOptions): Promise<Record<string, string>> {
  const url = new URL(request.url);
  const signer = new SignatureV4({
    credentials: options.credentials,
    region: options.region,
    service: options.service ?? "execute-api",
    sha256: Hash.bind(null, "sha256"),
    // No x-amz-content-sha256 header: only S3 asks for it ("Signing AWS API requests", IAM User Guide).
    applyChecksum: false,
  });
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers ?? {})) if (name.toLowerCase() !== "host") headers[name] = value;
  const signed = await signer.sign(
    new HttpRequest({
      method: request.method.toUpperCase(),
      protocol: url.protocol,
      hostname: url.hostname,
      port: url.port === "" ? undefined : Number(url.port),
      path: url.pathname,
      query: queryOf(url),
      headers: { ...headers, host: url.host },
      body: request.body,
    }),
    { signingDate: options.date },
  );
  const out: Record<string, string> = { ...headers };
  for (const [name, value] of Object.entries(signed.headers)) {
    if (name === "x-amz-date" || name === "x-amz-security-token") out[name] = value;
    else if (name === "authorization") out.Authorization = value;
  }
  return out;
}

/** The URL's query as the signer takes it: a name given twice maps to its values in order. */
function queryOf(url: URL): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const name of new Set(url.searchParams.keys())) {
    const values = url.searchParams.getAll(name);
    query[name] = values.length === 1 ? values[0] : values;
  }
  return query;
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
