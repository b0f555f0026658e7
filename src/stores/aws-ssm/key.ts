/**
 * An env's `key` for an aws.ssm store: a parameter name (or ARN), optionally followed by `:version` or
 * `:label`, as GetParameters itself accepts them (`/app/db/password:3`, `/app/db/password:prod`).
 */
export interface ParameterRef {
  /** The name or ARN, without the selector. */
  name: string;
  /** `:3` or `:prod`, exactly as sent to AWS; undefined for the current version. */
  selector?: string;
  /** Set for a `:N` selector: the version a response must carry. */
  version?: number;
}

// Names: letters, digits and _.-/ (SSM's rule), at most 2048 characters with the path.
const NAME = /^[A-Za-z0-9_.\-/]{1,2048}$/;
const ARN = /^arn:aws[a-z-]*:ssm:[a-z0-9-]+:\d{12}:parameter\/?[A-Za-z0-9_.\-/]{1,2048}$/;
// Labels: 1-100 of letters, digits, . - _; not starting with a digit, "aws" or "ssm" (SSM's rule).
const LABEL = /^(?![0-9])(?!aws)(?!ssm)[A-Za-z0-9_.-]{1,100}$/i;
const MAX_DEPTH = 15;

/** Parses and checks a key; `problem` says what is wrong in terms the user wrote. */
export function parseParameterKey(key: string): { ref?: ParameterRef; problem?: string; hint?: string } {
  // An ARN holds colons of its own; its selector can only follow the `parameter/...` part.
  const base = key.startsWith('arn:') ? key.split(':').slice(0, 6).join(':').length : 0;
  const colon = key.indexOf(':', base);
  const name = colon < 0 ? key : key.slice(0, colon);
  const sel = colon < 0 ? undefined : key.slice(colon + 1);
  const isArn = name.startsWith('arn:');
  if (isArn ? !ARN.test(name) : !NAME.test(name)) {
    return {
      problem: `"${clip(name)}" is not a parameter name or ARN (names use letters, digits and _ . - /, at most 2048 characters)`,
    };
  }
  const path = isArn ? name.slice(name.indexOf(':parameter') + ':parameter'.length) : name;
  if (path.split('/').filter(Boolean).length > MAX_DEPTH) {
    return { problem: `parameter "${clip(name)}" is nested more than ${MAX_DEPTH} levels deep, which SSM does not allow` };
  }
  if (!isArn && name.includes('/') && !name.startsWith('/')) {
    return { problem: `parameter "${clip(name)}" has a path but does not start with /`, hint: `write /${clip(name)}` };
  }
  if (sel === undefined) return { ref: { name } };
  if (/^[0-9]+$/.test(sel)) {
    const version = Number(sel);
    if (version < 1 || !Number.isSafeInteger(version)) return { problem: `parameter version "${sel}" must be 1 or more` };
    return { ref: { name, selector: `:${sel}`, version } };
  }
  if (!LABEL.test(sel)) {
    return {
      problem: `"${clip(sel)}" after ":" is neither a version number nor a label`,
      hint: 'labels use letters, digits, . - _ (at most 100), and do not start with a digit, "aws" or "ssm"',
    };
  }
  return { ref: { name, selector: `:${sel}` } };
}

/** The text GetParameters takes for a ref, and the key the reader files its value under. */
export function refText(ref: ParameterRef): string {
  return ref.name + (ref.selector ?? '');
}

const clip = (s: string): string => (s.length > 80 ? `${s.slice(0, 77)}...` : s);
