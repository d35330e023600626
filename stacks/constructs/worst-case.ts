/**
 * What a Terraform reference will hold on AWS, at its longest. A policy's size on AWS depends on
 * the ARNs Terraform puts into it at apply time; at synth those are tokens. The construct that
 * makes a reference declares its worst case here once (a state machine its ARN, a key its ARN, the
 * module its variables), and `worstCase` rebuilds any string from literal parts and declared
 * references: policies are sized against it (policy-document.ts), and an ARN's kind (service,
 * resource type) is read from it (task-permissions.ts).
 */
import { type IResolvable, Token, Tokenization } from "cdktf";

/**
 * The longest commercial region code: 14 characters ("ap-southeast-7", "ap-northeast-3"...; AWS
 * General Reference, "AWS Regions" table of region codes).
 */
export const LONGEST_REGION = "ap-southeast-7";
/** The longest partition name of the regions above and GovCloud ("aws-us-gov"; AWS General Reference, "Identify AWS resources with Amazon Resource Names (ARNs)"). */
export const LONGEST_PARTITION = "aws-us-gov";
/** An AWS account ID is 12 digits (AWS Account Management Reference Guide, "View AWS account identifiers"). */
export const ACCOUNT_ID = "123456789012";
/** A KMS key ID is a UUID of 36 characters, "mrk-" and 32 hex digits for multi-Region keys (AWS KMS Developer Guide, "Key identifiers (KeyId)"). */
export const KMS_KEY_ID = "1234abcd-12ab-34cd-56ef-1234567890ab";
/** An EC2 instance ID is "i-" and 17 hex digits (Amazon EC2 User Guide, "Resource IDs"). */
export const INSTANCE_ID = "i-0123456789abcdef0";

const declared = new WeakMap<IResolvable, string | readonly string[]>();

/** The one token `value` is made of; throws if it holds literal text or several tokens. */
function soleToken(value: string): IResolvable {
  const fragments = Tokenization.reverseString(value);
  const token = fragments.firstToken;
  if (fragments.length !== 1 || !token) throw new Error(`internal: "${value}" is not a single Terraform reference`);
  return token;
}

/** Declares what the reference `value` holds at its longest; returns `value`. */
export function declareWorstCase(value: string, worst: string): string {
  declared.set(soleToken(value), worstCase(worst));
  return value;
}

/** Declares what the list reference `list` holds at its longest (every element); returns `list`. */
export function declareWorstCaseList(list: string[], worst: readonly string[]): string[] {
  const token = Tokenization.reverseList(list);
  if (!token) throw new Error("internal: not a list reference");
  declared.set(
    token,
    worst.flatMap((element) => worstCaseList([element])),
  );
  return list;
}

/** A string with every reference in it replaced by its declared worst case; throws on an undeclared one. */
export function worstCase(value: string): string {
  if (!Token.isUnresolved(value)) return value;
  // cdktf 0.21 (its last release) keeps a string's parts in order in `fragments`.
  const { fragments } = Tokenization.reverseString(value) as unknown as { fragments: Fragment[] };
  return fragments
    .map((fragment) => {
      if (fragment.type === "literal") return fragment.lit;
      const worst = fragment.token ? declared.get(fragment.token) : undefined;
      if (worst === undefined) throw new UndeclaredReference(value);
      if (typeof worst !== "string") throw new Error(`internal: the list reference in "${value}" is used as a string`);
      return worst;
    })
    .join("");
}

interface Fragment {
  readonly type: "literal" | "token" | "intrinsic" | "escape";
  readonly lit?: string;
  readonly token?: IResolvable;
}

/** `value` at its longest, or `longest` when it holds a reference nobody declared (e.g. any expression as a name). */
export function worstCaseOr(value: string, longest: string): string {
  try {
    return worstCase(value);
  } catch (error) {
    if (error instanceof UndeclaredReference) return longest;
    throw error;
  }
}

/**
 * `value` at its longest, each reference in it replaced by its declared worst case, or by
 * `longest` where nobody declared one (a role's ARN, a region's expression). A list reference
 * (jsonencode of a list) counts as `longest` too.
 */
export function worstCaseEach(value: string, longest: string): string {
  if (!Token.isUnresolved(value)) return value;
  const { fragments } = Tokenization.reverseString(value) as unknown as { fragments: Fragment[] };
  return fragments
    .map((fragment) => {
      if (fragment.type === "literal") return fragment.lit;
      const worst = fragment.token ? declared.get(fragment.token) : undefined;
      return typeof worst === "string" ? worst : longest;
    })
    .join("");
}

/** The elements a list holds at its longest: list references expanded, string references replaced. */
export function worstCaseList(list: readonly string[]): string[] {
  return list.flatMap((element) => {
    const listToken = Tokenization.reverseList([element]);
    if (listToken) {
      const worst = declared.get(listToken);
      if (worst === undefined) throw new UndeclaredReference(element);
      return typeof worst === "string" ? [worst] : [...worst];
    }
    return [worstCase(element)];
  });
}

/** Whether `element` of a list stands for a whole list (a list reference). */
export function isListReference(element: string): boolean {
  return Tokenization.reverseList([element]) !== undefined;
}

/** A reference whose worst case nobody declared: its construct must declare it. */
export class UndeclaredReference extends Error {
  constructor(value: string) {
    super(`internal: no worst case is declared for the Terraform reference in "${value}" (declareWorstCase)`);
  }
}
