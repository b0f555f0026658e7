import { quoted } from '../../config/quote';
import * as rules from './rules';
import { parseDuration } from '../../config/duration';
import { hasReference, interpolate, withBuiltins } from '../../config/interpolate';
import { StoreContext } from '../../config/store-context';
import { StsSpec, STS_KEYS } from './types';
import type { TokenSource } from './web-identity-token';
import { didYouMean } from '../../config/suggest';

/** Used when a store sets no role_session_name: stable per user, so it caches and reads well in CloudTrail. */
export const DEFAULT_SESSION_NAME = 'dsops-${USER}';

/** Builds an aws.sts spec from raw fields, checking every AWS rule before any call is made. */
export function prepareSts(ctx: StoreContext): StsSpec | undefined {
  const raw = ctx.raw;
  const operation = (raw.operation as StsSpec['operation'] | undefined) ?? 'assume-role';
  // Both role operations take a role, a session name and session policies; only AssumeRole itself takes
  // the rest (external id, MFA, tags, source identity), and only it can be chained.
  const isRole = operation !== 'get-session-token';
  const isAssume = operation === 'assume-role';
  const isWebIdentity = operation === 'assume-role-with-web-identity';
  const region = ctx.str('region');
  const profile = ctx.str('profile');
  const endpoint = ctx.str('endpoint');
  const credentialsFrom = raw.credentials_from as string | undefined;

  const notFor = (fields: string[]) => {
    for (const f of fields) if (raw[f] !== undefined) ctx.issue(f, 'E_FIELD_NOT_ALLOWED', `${f} does not apply to operation ${operation}`);
  };
  if (!isRole) {
    notFor(['role_arn', 'role_session_name', 'external_id', 'session_policy', 'policy_arns', 'tags', 'transitive_tag_keys', 'source_identity']);
    if (credentialsFrom !== undefined) {
      ctx.issue(
        'credentials_from',
        'E_SESSION_TOKEN_CHAINED',
        'get-session-token must be called with long-term IAM user credentials, not with another store\'s session',
        'remove credentials_from, and use profile (or the default credential chain) for this store',
      );
    }
  }
  if (!isWebIdentity) notFor(['web_identity_token_file', 'web_identity_token']);
  let webIdentity: TokenSource | undefined;
  if (isWebIdentity) {
    notFor(['external_id', 'serial_number', 'token_code', 'tags', 'transitive_tag_keys', 'source_identity', 'profile']);
    if (credentialsFrom !== undefined) {
      ctx.issue(
        'credentials_from',
        'E_WEB_IDENTITY_CHAINED',
        'assume-role-with-web-identity is signed by its OIDC token, not by another store\'s session',
        'remove credentials_from: a web-identity store is the first hop of a chain; chain other roles from it',
      );
    }
    webIdentity = webIdentitySource(ctx);
  }

  let roleArn: string | undefined;
  if (isRole) {
    roleArn = ctx.str('role_arn');
    if (roleArn !== undefined) {
      const p = rules.checkRoleArn(roleArn);
      if (p) ctx.issue('role_arn', 'E_ROLE_ARN', p);
    }
  }

  // Substituted parts are sanitised; literal text must already be legal, so typos are reported, not hidden.
  const nameTemplate = raw.role_session_name !== undefined ? String(raw.role_session_name) : DEFAULT_SESSION_NAME;
  const nameField = raw.role_session_name !== undefined ? 'role_session_name' : undefined;
  let roleSessionName = ctx.expand(nameTemplate, 'role_session_name', rules.sanitizeSessionPart) ?? 'dsops';
  let roleSessionNameStable = roleSessionName;
  if (hasReference(nameTemplate)) {
    roleSessionName = rules.fitSessionName(roleSessionName);
    const stable = interpolate(nameTemplate, withBuiltins(ctx.scope, { TIMESTAMP: '' }), rules.sanitizeSessionPart);
    roleSessionNameStable = stable.ok ? stable.value : roleSessionName;
  }
  if (isRole) {
    const p = rules.checkSessionName(roleSessionName);
    if (p) ctx.issue(nameField, 'E_SESSION_NAME', p);
  }

  let durationSeconds: number | undefined;
  if (ctx.has('duration') && ctx.has('duration_seconds')) {
    // Said at duration_seconds when the schema already reported duration: the clash is a problem of its own.
    ctx.issue(ctx.isRejected('duration') ? 'duration_seconds' : 'duration', 'E_DURATION_BOTH', 'set duration or duration_seconds, not both');
  } else if (raw.duration !== undefined) {
    durationSeconds = parseDuration(String(raw.duration));
  } else if (raw.duration_seconds !== undefined) {
    const text = ctx.str('duration_seconds');
    if (text !== undefined) {
      durationSeconds = /^\d+$/.test(text.trim()) ? Number(text) : parseDuration(text);
      if (durationSeconds === undefined) ctx.issue('duration_seconds', 'E_DURATION', `duration_seconds ${quoted(text)} is not a number of seconds`);
    }
  }
  if (durationSeconds !== undefined) {
    const field = raw.duration !== undefined ? 'duration' : 'duration_seconds';
    const p = rules.checkDuration(durationSeconds, operation, ctx.chained);
    if (p) {
      ctx.issue(
        field,
        ctx.chained && durationSeconds <= rules.LIMITS.assumeRole.max && durationSeconds > rules.LIMITS.chained.max ? 'E_CHAINED_DURATION' : 'E_DURATION',
        p,
        // Only AssumeRole is capped by chaining; a chained get-session-token is already its own error.
        ctx.chained && isRole ? `this store's credentials come from store ${credentialsFrom}, so AWS treats it as role chaining` : undefined,
      );
    }
  }

  const externalId = isAssume ? ctx.str('external_id') : undefined;
  if (externalId !== undefined) {
    const p = rules.checkExternalId(externalId);
    if (p) ctx.issue('external_id', 'E_EXTERNAL_ID', p);
  }

  const serialNumber = ctx.str('serial_number');
  if (serialNumber !== undefined) {
    const p = rules.checkSerialNumber(serialNumber);
    if (p) ctx.issue('serial_number', 'E_SERIAL_NUMBER', p);
  }
  if (raw.token_code !== undefined && !ctx.has('serial_number')) {
    ctx.issue('token_code', 'E_TOKEN_WITHOUT_SERIAL', 'token_code is set but serial_number is not');
  }
  // A literal code is checked now; `${MFA_TOKEN}` is expanded only when a call is really made,
  // so an unset MFA_TOKEN is fine while the session is cached.
  const tokenTemplate = raw.token_code !== undefined ? String(raw.token_code) : undefined;
  if (tokenTemplate !== undefined && !hasReference(tokenTemplate)) {
    const p = rules.checkTokenCode(tokenTemplate);
    // YAML reads an unquoted 012345 as the number 12345, so a valid code would look 5 digits long.
    const hint = typeof raw.token_code === 'number' ? 'YAML reads an unquoted code as a number and drops leading zeros; quote it' : undefined;
    if (p) ctx.issue('token_code', 'E_TOKEN_CODE', p, hint);
  }
  const scope = ctx.scope;
  const tokenCode = (): string | undefined => {
    if (tokenTemplate === undefined) return undefined;
    const r = interpolate(tokenTemplate, scope);
    return r.ok && r.value !== '' ? r.value : undefined;
  };

  let sessionPolicy: string | undefined;
  if (isRole && raw.session_policy !== undefined) {
    const src = typeof raw.session_policy === 'string' ? ctx.str('session_policy') : (raw.session_policy as object);
    if (src !== undefined) {
      const r = rules.checkSessionPolicy(src);
      if (r.problem) ctx.issue('session_policy', 'E_SESSION_POLICY', r.problem);
      sessionPolicy = r.policy;
    }
  }

  const policyArns: string[] = [];
  if (isRole && Array.isArray(raw.policy_arns)) {
    raw.policy_arns.forEach((arn: unknown, i: number) => {
      const v = ctx.expand(String(arn), `policy_arns.${i}`);
      if (v !== undefined) policyArns.push(v);
    });
    for (const p of rules.checkPolicyArns(policyArns)) ctx.issueAt('policy_arns', p.entry, 'E_POLICY_ARNS', p.problem);
  }
  const budget = rules.checkPolicyBudget(sessionPolicy, policyArns);
  if (budget) ctx.issue('session_policy', 'E_SESSION_POLICY', budget);

  const tags: { Key: string; Value: string }[] = [];
  if (isAssume && raw.tags && typeof raw.tags === 'object') {
    for (const [k, v] of Object.entries(raw.tags as Record<string, unknown>)) {
      const value = ctx.expand(String(v), `tags.${k}`);
      if (value !== undefined) tags.push({ Key: k, Value: value });
    }
    for (const p of rules.checkTags(tags)) ctx.issueAt('tags', p.entry, 'E_TAGS', p.problem, p.atKey);
  }
  const transitiveTagKeys = isAssume && Array.isArray(raw.transitive_tag_keys) ? raw.transitive_tag_keys.map(String) : [];
  // Tags the schema rejected are unknown, not empty: every transitive key would look missing from them.
  const knownTags = ctx.isRejected('tags') ? undefined : tags;
  for (const p of rules.checkTransitiveTagKeys(transitiveTagKeys, knownTags)) ctx.issueAt('transitive_tag_keys', p.entry, 'E_TRANSITIVE_TAG_KEYS', p.problem);

  const sourceIdentity = isAssume ? ctx.str('source_identity') : undefined;
  if (sourceIdentity !== undefined) {
    const p = rules.checkSourceIdentity(sourceIdentity);
    if (p) ctx.issue('source_identity', 'E_SOURCE_IDENTITY', p);
  }

  return {
    name: ctx.name,
    type: 'aws.sts',
    operation,
    region,
    profile,
    endpoint,
    credentialsFrom,
    roleArn,
    roleSessionName,
    roleSessionNameStable,
    durationSeconds,
    externalId,
    serialNumber,
    tokenCode,
    tokenTemplate,
    sessionPolicy,
    policyArns,
    tags,
    transitiveTagKeys,
    sourceIdentity,
    webIdentity,
    mfaDevice: serialNumber,
    cache: ctx.cache(),
    requestTimeoutMs: ctx.requestTimeoutMs(),
  };
}

/** Checks an env's `key` for an aws.sts store: one of the credential fields. */
export function checkStsKey(key: string): { problem?: string; hint?: string } {
  if ((STS_KEYS as readonly string[]).includes(key)) return {};
  const guess = didYouMean(key, STS_KEYS);
  return {
    problem: `key ${quoted(key)} is not a field of an aws.sts store; use one of ${STS_KEYS.join(', ')}`,
    hint: guess ? `did you mean "${guess}"?` : undefined,
  };
}

/**
 * Where a web-identity store's token comes from: `web_identity_token_file` (a path, as Kubernetes and the
 * SDK's AWS_WEB_IDENTITY_TOKEN_FILE use) or `web_identity_token: ${VAR}` (a CI job's OIDC token). Exactly
 * one. The variable is read only when a call is made, so a cached session needs none; a token written
 * into the file itself would be a secret on disk, so only a reference is accepted.
 */
function webIdentitySource(ctx: StoreContext): TokenSource | undefined {
  const hasFile = ctx.has('web_identity_token_file');
  const hasToken = ctx.has('web_identity_token');
  if (hasFile && hasToken) {
    ctx.issue('web_identity_token', 'E_WEB_IDENTITY_TOKEN', 'set web_identity_token_file or web_identity_token, not both');
    return undefined;
  }
  if (!hasFile && !hasToken) {
    ctx.issue(
      undefined,
      'E_WEB_IDENTITY_TOKEN',
      'assume-role-with-web-identity needs web_identity_token_file or web_identity_token',
      'e.g. web_identity_token_file: /var/run/secrets/eks.amazonaws.com/serviceaccount/token, or web_identity_token: ${ACTIONS_ID_TOKEN}',
    );
    return undefined;
  }
  if (hasFile) {
    const file = ctx.filePath('web_identity_token_file');
    return file === undefined ? undefined : { file };
  }
  const template = ctx.raw.web_identity_token;
  if (typeof template !== 'string') return undefined;
  const ref = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/.exec(template.trim());
  if (!ref) {
    ctx.issue(
      'web_identity_token',
      'E_WEB_IDENTITY_TOKEN',
      'web_identity_token must be a reference to a variable, such as ${ACTIONS_ID_TOKEN}: a token written in the file would be a secret on disk',
    );
    return undefined;
  }
  const variable = ref[1];
  const env = ctx.scope.env;
  return { variable, value: () => env[variable] };
}
