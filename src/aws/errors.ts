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
};

export function awsErrorCode(e: unknown): string {
  const err = e as { name?: string; Code?: string; code?: string };
  return err.Code ?? err.name ?? err.code ?? 'Error';
}

export function hintFor(code: string): string | undefined {
  return HINTS[code];
}
