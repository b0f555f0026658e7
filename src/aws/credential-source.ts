/** The keys of one ~/.aws profile, as the SDK's shared-config loader returns them. */
export type ProfileData = Record<string, string | undefined>;

export type SourceKind = 'env' | 'profile' | 'sso' | 'process' | 'web-identity' | 'assume-role' | 'container' | 'instance' | 'none';

/** Where the SDK's default chain (or a named profile) would take root credentials from. Names, never values. */
export interface CredentialSource {
  kind: SourceKind;
  /** `environment keys (AWS_ACCESS_KEY_ID)`, `profile prod (SSO)`. */
  describe: string;
  /** Set when the lookup is known to fail before trying it (a named profile that does not exist). */
  problem?: { detail: string; hint: string };
}

/**
 * Follows the JS SDK's fromNodeProviderChain order: environment keys (skipped when a profile is named),
 * the profile in the shared files (SSO, credential_process, web identity, role_arn chains, static keys),
 * a web identity token from the environment, container credentials, instance metadata. Pure: the
 * profiles come from the SDK's loader, the environment from the caller.
 */
export function detectSource(
  storeProfile: string | undefined,
  env: Record<string, string | undefined>,
  profiles: Record<string, ProfileData>,
): CredentialSource {
  const named = storeProfile ?? env.AWS_PROFILE;
  if (named !== undefined) {
    const why = storeProfile !== undefined ? "named by the store's profile:" : 'named by AWS_PROFILE';
    const data = profiles[named];
    if (!data) {
      return {
        kind: 'none',
        describe: `profile ${named} (${why})`,
        problem: { detail: `profile ${named} (${why}) is not in ~/.aws/config or ~/.aws/credentials`, hint: `add [profile ${named}] to ~/.aws/config, or fix the name` },
      };
    }
    return fromProfile(named, data, why);
  }
  if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) {
    return { kind: 'env', describe: `environment keys (AWS_ACCESS_KEY_ID${env.AWS_SESSION_TOKEN ? ', AWS_SESSION_TOKEN' : ''})` };
  }
  const dflt = profiles.default;
  if (dflt && kindOf(dflt) !== 'profile-without-credentials') return fromProfile('default', dflt);
  if (env.AWS_WEB_IDENTITY_TOKEN_FILE && env.AWS_ROLE_ARN) {
    return { kind: 'web-identity', describe: `web identity (AWS_WEB_IDENTITY_TOKEN_FILE, role ${env.AWS_ROLE_ARN})` };
  }
  if (env.AWS_CONTAINER_CREDENTIALS_FULL_URI || env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI) {
    const which = env.AWS_CONTAINER_CREDENTIALS_FULL_URI ? 'AWS_CONTAINER_CREDENTIALS_FULL_URI' : 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI';
    return { kind: 'container', describe: `container credentials (${which})` };
  }
  if (isTrue(env.AWS_EC2_METADATA_DISABLED)) {
    return {
      kind: 'none',
      describe: 'no source',
      problem: {
        detail: 'no source: no AWS_* keys, no profile, no web identity or container credentials, and instance metadata is off (AWS_EC2_METADATA_DISABLED)',
        hint: "run 'aws sso login' or 'aws configure', or set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY",
      },
    };
  }
  return { kind: 'instance', describe: 'instance metadata (EC2 IMDS: nothing else was found)' };
}

type ProfileKind = Exclude<SourceKind, 'env' | 'container' | 'instance' | 'none'> | 'profile-without-credentials';

function kindOf(p: ProfileData): ProfileKind {
  if (p.sso_session || p.sso_start_url) return 'sso';
  if (p.role_arn && p.web_identity_token_file) return 'web-identity';
  if (p.role_arn && (p.source_profile || p.credential_source)) return 'assume-role';
  if (p.credential_process) return 'process';
  if (p.aws_access_key_id && p.aws_secret_access_key) return 'profile';
  return 'profile-without-credentials';
}

function fromProfile(name: string, p: ProfileData, why?: string): CredentialSource {
  const by = why ? `, ${why}` : '';
  const kind = kindOf(p);
  switch (kind) {
    case 'sso':
      return { kind, describe: `profile ${name} (SSO${p.sso_session ? ` session ${p.sso_session}` : ''}${by})` };
    case 'web-identity':
      return { kind, describe: `profile ${name} (web identity, role ${p.role_arn}${by})` };
    case 'assume-role':
      return {
        kind,
        describe: `profile ${name} (assumes ${p.role_arn} with ${p.source_profile ? `source_profile ${p.source_profile}` : `credential_source ${p.credential_source}`}${by})`,
      };
    case 'process':
      return { kind, describe: `profile ${name} (credential_process${by})` };
    case 'profile':
      return { kind, describe: `profile ${name} (static keys in the shared files${by})` };
    default:
      return {
        kind: 'none',
        describe: `profile ${name}`,
        problem: {
          detail: `profile ${name}${why ? ` (${why})` : ''} has no credentials: no keys, SSO, credential_process or role`,
          hint: `add credentials to [profile ${name}] (aws configure --profile ${name}, or aws configure sso)`,
        },
      };
  }
}

function isTrue(v: string | undefined): boolean {
  return v !== undefined && v.toLowerCase() === 'true';
}

/** ~/.aws/config and ~/.aws/credentials merged by profile, through the SDK's own loader (AWS_CONFIG_FILE honoured). */
export async function loadProfiles(): Promise<Record<string, ProfileData>> {
  const { parseKnownFiles } = await (await import('./sdk')).loadSharedConfig();
  return (await parseKnownFiles({})) as Record<string, ProfileData>;
}
