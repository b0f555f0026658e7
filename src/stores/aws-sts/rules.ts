import type { StsOperation } from './types';
/**
 * AWS STS request rules (see shared/notes/aws-sts-rules.md). Pure checks that return a problem text,
 * or undefined when the value is fine. The SDK checks few of these and emulators none, so dsops does.
 */

// IAM's roleNameType and pathType: the path is `/` or `/.../` of printable ASCII, up to 512 characters.
const ROLE_ARN_HEAD = /^arn:aws[a-z-]*:iam::\d{12}:role(\/.*)$/s;
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
const ROLE_PATH = /^\/(?:[\u0021-\u007E]*\/)?$/;
const SESSION_NAME_CHARS = /^[\w+=,.@-]*$/;
const EXTERNAL_ID_CHARS = /^[\w+=,.@:\/-]*$/;
const SERIAL_CHARS = /^[\w+=\/:,.@-]*$/;
const TOKEN_CODE = /^\d{6}$/;
const POLICY_ARN = /^arn:aws[a-z-]*:iam::(\d{12}|aws):policy\/[\w+=,.@\/-]+$/;
// Built on first use: a Unicode property class costs a fraction of a millisecond to create, and most
// configs have no tags.
let tagCharsRe: RegExp | undefined;
const tagChars = () => (tagCharsRe ??= /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u);

import { quoted } from '../../config/quote';

/** Length as AWS's models count it (Smithy `@length` on strings): in Unicode code points, not UTF-16 units. */
export function codePoints(v: string): number {
  let n = 0;
  for (const _ of v) n++;
  return n;
}

export const LIMITS = {
  assumeRole: { min: 900, max: 43200 },
  chained: { max: 3600 },
  sessionToken: { min: 900, max: 129600 },
  policyChars: 2048,
  policyArns: 10,
  tags: 50,
  transitiveTagKeys: 50,
} as const;

export function checkRoleArn(v: string): string | undefined {
  if (v.length < 20 || v.length > 2048) return `role_arn must be 20-2048 characters (got ${v.length})`;
  const resource = ROLE_ARN_HEAD.exec(v)?.[1];
  const cut = resource === undefined ? -1 : resource.lastIndexOf('/');
  const rolePath = resource?.slice(0, cut + 1) ?? '';
  const name = resource?.slice(cut + 1) ?? '';
  if (resource === undefined || !ROLE_PATH.test(rolePath) || !ROLE_NAME.test(name)) {
    return `role_arn ${quoted(v)} is not a role ARN of the form arn:aws:iam::<12-digit account>:role/<path/><name>`;
  }
  if (rolePath.length > 512) return `role_arn's path is ${rolePath.length} characters; IAM allows at most 512`;
  return undefined;
}

/** Session names built from ${USER}/${TIMESTAMP} are cleaned so an odd login name never breaks AssumeRole. */
export function sanitizeSessionPart(v: string): string {
  return v.replace(/[^\w+=,.@-]/g, '-');
}

/** Truncate to 64 and pad to 2, as AWS requires; only applied when interpolation produced the name. */
export function fitSessionName(v: string): string {
  const cut = v.slice(0, 64);
  return cut.length >= 2 ? cut : cut.padEnd(2, '-');
}

export function checkSessionName(v: string): string | undefined {
  if (v.length < 2 || v.length > 64) return `role_session_name must be 2-64 characters (got ${v.length})`;
  if (!SESSION_NAME_CHARS.test(v)) return `role_session_name ${quoted(v)} may only contain letters, digits and + = , . @ _ -`;
  return undefined;
}

export function checkDuration(
  seconds: number,
  op: StsOperation,
  chained: boolean,
): string | undefined {
  if (!Number.isInteger(seconds)) return `duration must be a whole number of seconds (got ${seconds})`;
  if (op === 'get-session-token') {
    const { min, max } = LIMITS.sessionToken;
    if (seconds < min || seconds > max) return `duration for get-session-token must be ${min}-${max} seconds (got ${seconds})`;
    return undefined;
  }
  const { min, max } = LIMITS.assumeRole;
  if (seconds < min || seconds > max) return `duration must be ${min}-${max} seconds (got ${seconds})`;
  if (chained && seconds > LIMITS.chained.max) {
    return `duration ${seconds}s exceeds the 1 hour session limit for roles assumed by role chaining (at most ${LIMITS.chained.max}s)`;
  }
  return undefined;
}

export function checkExternalId(v: string): string | undefined {
  if (v.length < 2 || v.length > 1224) return `external_id must be 2-1224 characters (got ${v.length})`;
  if (!EXTERNAL_ID_CHARS.test(v)) return 'external_id may only contain letters, digits and + = , . @ : / _ -';
  return undefined;
}

export function checkSerialNumber(v: string): string | undefined {
  if (v.length < 9 || v.length > 256) return `serial_number must be 9-256 characters (got ${v.length})`;
  if (!SERIAL_CHARS.test(v)) return `serial_number ${quoted(v)} may only contain letters, digits and + = / : , . @ _ -`;
  return undefined;
}

/** Never echoes the code itself: it is a credential. */
export function checkTokenCode(v: string): string | undefined {
  return TOKEN_CODE.test(v) ? undefined : `token_code must be exactly 6 digits (got ${v.length} characters)`;
}

/** Returns the minified policy, or a problem. */
export function checkSessionPolicy(v: string | object): { policy?: string; problem?: string } {
  let parsed: unknown;
  if (typeof v === 'string') {
    try {
      parsed = JSON.parse(v);
    } catch (e) {
      return { problem: `session_policy is not valid JSON: ${(e as Error).message}` };
    }
  } else parsed = v;
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return { problem: 'session_policy must be a JSON object (a policy document)' };
  }
  const policy = JSON.stringify(parsed);
  // eslint-disable-next-line no-control-regex
  if (/[^\t\n\r\u0020-\u00ff]/.test(policy)) {
    return { problem: 'session_policy may only contain tab, LF, CR and characters U+0020-U+00FF' };
  }
  if (policy.length > LIMITS.policyChars) {
    return { problem: `session_policy is ${policy.length} characters once minified; AWS allows at most ${LIMITS.policyChars}` };
  }
  return { policy };
}

/** A problem of a list or map field; `entry` is the offending index or tag key, when it is one entry's. */
export interface EntryProblem {
  problem: string;
  entry?: string | number;
  /** Point at the tag key rather than its value. */
  atKey?: boolean;
}

export function checkPolicyArns(arns: string[]): EntryProblem[] {
  const problems: EntryProblem[] = [];
  if (arns.length > LIMITS.policyArns) problems.push({ problem: `policy_arns has ${arns.length} entries; AWS allows at most ${LIMITS.policyArns}` });
  arns.forEach((a, i) => {
    if (a.length < 20 || a.length > 2048) problems.push({ problem: `policy ARN ${quoted(a)} must be 20-2048 characters`, entry: i });
    else if (!POLICY_ARN.test(a)) problems.push({ problem: `${quoted(a)} is not a policy ARN (arn:aws:iam::<account|aws>:policy/<name>)`, entry: i });
  });
  return problems;
}

/**
 * AWS counts the inline policy and the managed policy ARNs against one budget, so each can pass alone
 * and the pair still fail at call time.
 */
export function checkPolicyBudget(policy: string | undefined, arns: string[]): string | undefined {
  if (policy === undefined || !arns.length) return undefined;
  const arnChars = arns.reduce((n, a) => n + a.length, 0);
  const total = policy.length + arnChars;
  if (total <= LIMITS.policyChars) return undefined;
  return `session_policy (${policy.length} characters minified) plus policy_arns (${arnChars} characters) is ${total}; AWS allows at most ${LIMITS.policyChars} together`;
}

export function checkTags(tags: { Key: string; Value: string }[]): EntryProblem[] {
  const problems: EntryProblem[] = [];
  if (tags.length > LIMITS.tags) problems.push({ problem: `tags has ${tags.length} entries; AWS allows at most ${LIMITS.tags}` });
  const seen = new Map<string, string>();
  for (const { Key, Value } of tags) {
    const at = (problem: string, atKey: boolean) => problems.push({ problem, entry: Key, atKey });
    const keyLen = codePoints(Key);
    const valueLen = codePoints(Value);
    if (keyLen < 1 || keyLen > 128) at(`tag key ${quoted(Key)} must be 1-128 characters (got ${keyLen})`, true);
    if (valueLen > 256) at(`tag ${quoted(Key)} value must be at most 256 characters (got ${valueLen})`, false);
    if (!tagChars().test(Key)) at(`tag key ${quoted(Key)} may only contain letters, digits, spaces and _ . : / = + - @`, true);
    if (!tagChars().test(Value)) at(`tag ${quoted(Key)} value may only contain letters, digits, spaces and _ . : / = + - @`, false);
    if (Key.toLowerCase().startsWith('aws:')) at(`tag key ${quoted(Key)} may not start with "aws:"`, true);
    const lower = Key.toLowerCase();
    const prev = seen.get(lower);
    if (prev !== undefined) at(`tag keys ${quoted(prev)} and ${quoted(Key)} differ only by case; AWS treats them as the same key`, true);
    else seen.set(lower, Key);
  }
  return problems;
}

/** With `tags` undefined (not known), only the count is checked. */
export function checkTransitiveTagKeys(keys: string[], tags: { Key: string }[] | undefined): EntryProblem[] {
  const problems: EntryProblem[] = [];
  if (keys.length > LIMITS.transitiveTagKeys) {
    problems.push({ problem: `transitive_tag_keys has ${keys.length} entries; AWS allows at most ${LIMITS.transitiveTagKeys}` });
  }
  if (tags === undefined) return problems;
  const tagKeys = new Set(tags.map((t) => t.Key.toLowerCase()));
  keys.forEach((k, i) => {
    if (!tagKeys.has(k.toLowerCase())) problems.push({ problem: `transitive tag key ${quoted(k)} is not a key in tags`, entry: i });
  });
  return problems;
}

export function checkSourceIdentity(v: string): string | undefined {
  if (v.length < 2 || v.length > 64) return `source_identity must be 2-64 characters (got ${v.length})`;
  if (!SESSION_NAME_CHARS.test(v)) return 'source_identity may only contain letters, digits and + = , . @ _ -';
  if (v.toLowerCase().startsWith('aws:')) return 'source_identity may not start with "aws:"';
  return undefined;
}
