import { AttemptWatch, formatTimeout, RequestTimeoutError } from './client-config';

/** AWS error codes that deserve a specific hint. */
const HINTS: Record<string, string> = {
  AccessDenied:
    "check the role's trust policy allows the caller, that external_id matches, and, if the role requires MFA, that serial_number is set and the code is current",
  AccessDeniedException: 'check the policy of the credentials used for this store allows the call on this secret',
  ExpiredToken: 'the source credentials expired; refresh them (aws sso login, or run with --refresh)',
  ExpiredTokenException: 'the source credentials expired; refresh them (aws sso login, or run with --refresh)',
  RegionDisabledException: 'STS is not activated in this region; activate it in IAM account settings, or use another region',
  MalformedPolicyDocument: 'session_policy is not a valid IAM policy document',
  PackedPolicyTooLarge: 'session policy and tags are too large once packed by AWS; shorten the policy or use fewer tags',
  ValidationError: 'a request parameter broke an AWS rule; run dsops validate',
  InvalidClientTokenId: 'the access key id is not valid for this account or partition; check the credentials and region',
  UnrecognizedClientException: 'the access key id is not valid; check the credentials and region',
  ResourceNotFoundException: 'check the secret id, the region and that the credentials are for the account holding the secret',
  InvalidRequestException: 'the secret may be marked for deletion',
  DecryptionFailure: "the secret's KMS key cannot be used by these credentials",
  Throttling: 'AWS throttled the call even after retries; try again shortly, or run fewer jobs at once',
  ThrottlingException: 'AWS throttled the call even after retries; try again shortly, or run fewer jobs at once',
  RequestTimeout:
    'check the endpoint, the network and any proxy in between; raise request_timeout (in the store or at the top of dsops.yaml) or DSOPS_REQUEST_TIMEOUT if the endpoint is just slow',
  InvalidResponse: 'the answer was damaged on the way or did not come from AWS; check the endpoint and any proxy in between',
};

/** Codes for failures that are not an AWS error: the connection, or an answer that was not AWS's. */
const NETWORK_CODE = /^E[A-Z0-9_]{2,30}$/;
const AWS_CODE = /^[A-Za-z][A-Za-z0-9_.]{0,99}$/;
/** AWS's own messages are short; a longer one is cut, so no answer can fill the terminal. */
const MAX_MESSAGE = 300;

/** What went wrong with an AWS call, in words safe to print: no part of a response body is ever quoted. */
export interface AwsFailure {
  /** The AWS error code; `HTTP503` for an error status without an AWS error; `RequestTimeout`; `ECONNRESET`. */
  code: string;
  /** Follows `code: ` in a message. */
  detail: string;
  status?: number;
}

interface SdkErrorShape {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  $fault?: unknown;
  $metadata?: { httpStatusCode?: unknown };
}

/**
 * Describes a failed SDK call without quoting what came back. An AWS error (one the SDK parsed into a
 * service exception with a real code) keeps its message, cleaned and cut short. Anything else the SDK
 * threw while reading a response (Node's JSON errors, a shape check, an unparsable error body) may quote
 * that response, secrets included, so only its HTTP status and the fact are reported.
 */
export function describeAwsFailure(e: unknown, endpoint?: string, timeoutMs?: number): AwsFailure {
  const err = (e ?? {}) as SdkErrorShape;
  const name = typeof err.name === 'string' ? err.name : '';
  const status = typeof err.$metadata?.httpStatusCode === 'number' ? err.$metadata.httpStatusCode : undefined;
  const where = endpoint ? ` from ${endpoint}` : '';
  if (status === undefined && typeof err.code === 'string' && NETWORK_CODE.test(err.code) && err.code !== 'ETIMEDOUT') {
    // Node's own socket errors, built from the address and the syscall, never from a response. The SDK
    // renames a reset to TimeoutError (so it is retried), so the code decides.
    const message = typeof err.message === 'string' ? clean(err.message) : err.code;
    return { code: err.code, detail: `connection${where ? ` to ${endpoint}` : ''} failed: ${message}` };
  }
  if (e instanceof RequestTimeoutError || name === 'TimeoutError' || name === 'AbortError') {
    const ms = e instanceof RequestTimeoutError ? e.timeoutMs : timeoutMs;
    return { code: 'RequestTimeout', detail: `no answer${where}${ms ? ` within ${formatTimeout(ms)} (request_timeout, retries included)` : ''}` };
  }
  const awsCode = typeof (err as { Code?: unknown }).Code === 'string' ? (err as { Code: string }).Code : name;
  // The SDK marks the errors it parsed from an AWS error body with $fault; its deserialization failures have none.
  const isServiceError = typeof err.$fault === 'string' && awsCode !== 'Unknown' && AWS_CODE.test(awsCode);
  if (isServiceError) {
    const message = typeof err.message === 'string' ? clean(err.message) : '';
    const statusText = status !== undefined && status >= 500 ? ` (HTTP ${status})` : '';
    return { code: awsCode, detail: `${message && message !== awsCode && message !== 'UnknownError' ? message : 'no message'}${statusText}`, status };
  }
  if (status !== undefined && (status < 200 || status >= 300)) {
    return { code: `HTTP${status}`, detail: `HTTP ${status}${where}, and the body is not an AWS error (not shown)`, status };
  }
  const kind = status !== undefined ? `HTTP ${status}` : 'an answer';
  return {
    code: 'InvalidResponse',
    detail: `${kind}${where} that could not be read${AWS_CODE.test(name) ? ` (${name})` : ''}; the response is not shown, as it may hold secrets`,
    status,
  };
}

/**
 * Describes a failed call made under withDeadline. When the deadline ended a call whose attempts had
 * been failing (throttled, 5xx, reset), the last attempt's failure is the news; the deadline is added.
 */
export function describeCallFailure(e: unknown, watch: AttemptWatch, fallbackEndpoint: string, timeoutMs: number): AwsFailure {
  const endpoint = watch.endpoint() ?? fallbackEndpoint;
  if (e instanceof RequestTimeoutError && watch.lastError() !== undefined) {
    const last = describeAwsFailure(watch.lastError(), endpoint, timeoutMs);
    if (last.code !== 'RequestTimeout') {
      return { ...last, detail: `${last.detail}; still failing when request_timeout (${formatTimeout(timeoutMs)}, retries included) ran out` };
    }
  }
  return describeAwsFailure(e, endpoint, timeoutMs);
}

/** One line, printable characters only, at most MAX_MESSAGE of them. */
function clean(text: string): string {
  // eslint-disable-next-line no-control-regex
  const flat = text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').trim();
  return flat.length > MAX_MESSAGE ? `${flat.slice(0, MAX_MESSAGE)}…` : flat;
}

export function hintFor(code: string): string | undefined {
  if (HINTS[code]) return HINTS[code];
  if (/^HTTP5\d\d$/.test(code)) return 'AWS, or a proxy in between, failed even after retries; try again shortly';
  if (NETWORK_CODE.test(code)) return 'the connection failed even after retries; check the endpoint, the network and any proxy in between';
  return undefined;
}
