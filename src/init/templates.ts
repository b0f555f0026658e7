/**
 * The configs `dsops init` writes, one per pattern. Each is a working starting point that passes
 * `dsops validate` as written (tests/e2e/init.test.ts checks that); account ids and names are placeholders.
 */
/** The schema's `$id` (schemas/dsops.schema.json; a unit test keeps the two equal). */
export const SCHEMA_URL = 'https://github.com/dsops/dsops/schemas/dsops.schema.json';

export type Pattern = 'basic' | 'chain' | 'mfa' | 'multi-region';
export const PATTERNS: readonly Pattern[] = ['basic', 'chain', 'mfa', 'multi-region'];

const BASIC = `# dsops.yaml: assume one role, read one secret with its session.
#
# dsops runs with the credentials you already have (a profile, SSO, CI's role), assumes the role below,
# and reads Secrets Manager with that session. The STS session is cached until shortly before it expires.
#
#   dsops validate                              # check this file, no AWS calls
#   dsops plan --env production                 # which stores, in which order
#   dsops exec --env production -- ./deploy.sh  # run with the values below in its environment

version: 1

secretStores:
  # Replace the account id and role name with yours.
  aws-sts-prod:
    type: aws.sts
    region: us-east-1
    role_arn: arn:aws:iam::123456789012:role/ProdAccessRole
    duration_seconds: 3600 # 900-43200, and no more than the role's maximum

  # Secrets Manager, read with the role's session.
  aws-secrets-prod:
    type: aws.secretsmanager
    region: us-east-1
    credentials_from: aws-sts-prod

envs:
  production:
    # A secret's value; "name#field" reads one field of a JSON secret.
    DATABASE_URL:
      from: { store: aws-secrets-prod, key: prod/database-url }
    # The role's session as the command's AWS identity, for tools that call AWS: AWS_ACCESS_KEY_ID,
    # AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_CREDENTIAL_EXPIRATION, AWS_REGION, AWS_DEFAULT_REGION.
    aws_credentials: aws-sts-prod
`;

const CHAIN = `# dsops.yaml: reach a target account through a jump role.
#
# Use this when the target role trusts only a central jump role. dsops assumes JumpRole first and signs
# the second AssumeRole with that session. AWS caps a chained session at 1 hour, so the target asks for
# at most 3600 seconds.
#
#   dsops graph --env target                   # jump → target → secrets
#   dsops exec --env target -- terraform apply

version: 1

secretStores:
  # First hop, signed with your own credentials.
  aws-sts-jump:
    type: aws.sts
    region: us-east-1
    role_arn: arn:aws:iam::111111111111:role/JumpRole

  # Second hop, signed with the jump session.
  aws-sts-target:
    type: aws.sts
    region: us-east-1
    role_arn: arn:aws:iam::222222222222:role/TargetRole
    credentials_from: aws-sts-jump
    duration_seconds: 3600 # the most AWS allows for a chained role

  # Secrets in the target account.
  target-secrets:
    type: aws.secretsmanager
    region: us-east-1
    credentials_from: aws-sts-target

envs:
  target:
    # The command runs as TargetRole: the session's AWS_* keys, its expiry and its region.
    aws_credentials: aws-sts-target
    TF_VAR_db_password:
      from: { store: target-secrets, key: "target/db#password" }
`;

const MFA = `# dsops.yaml: break-glass admin with MFA, for 15 minutes.
#
# For the rarely used, audited emergency role. AWS requires an MFA code for it: dsops asks for one on
# the terminal, or reads MFA_TOKEN (6 digits; each code works once). The session name records who and
# when in CloudTrail. A cached session is reused for most of its 15 minutes, without a new code.
#
#   dsops exec --env emergency -- aws iam list-roles
#   MFA_TOKEN=123456 dsops exec --env emergency -- ./fix.sh   # no terminal (CI, scripts)

version: 1

secretStores:
  break-glass:
    type: aws.sts
    region: us-east-1
    role_arn: arn:aws:iam::123456789012:role/EmergencyAccess
    role_session_name: emergency-\${USER}-\${TIMESTAMP}
    # Your MFA device: IAM → Users → you → Security credentials.
    serial_number: arn:aws:iam::123456789012:mfa/your-user-name
    # Read when a call is made; without it, dsops asks on the terminal.
    token_code: \${MFA_TOKEN}
    duration_seconds: 900 # 15 minutes, AWS's minimum

envs:
  emergency:
    # The command runs as EmergencyAccess: the session's AWS_* keys, its expiry and its region.
    aws_credentials: break-glass
`;

const MULTI_REGION = `# dsops.yaml: the same role, secrets read in two regions.
#
# Use this when a service runs in several regions and each keeps its own copy of a secret. Each Secrets
# Manager store takes credentials from the STS store in its region; an env may read from both.
#
#   dsops exec --env global -- ./failover-check.sh
#   dsops exec --env eu -- ./serve.sh

version: 1

secretStores:
  aws-sts-us-east:
    type: aws.sts
    region: us-east-1
    role_arn: arn:aws:iam::123456789012:role/RegionalRole

  aws-sts-eu-west:
    type: aws.sts
    region: eu-west-1
    role_arn: arn:aws:iam::123456789012:role/RegionalRole

  secrets-us:
    type: aws.secretsmanager
    region: us-east-1
    credentials_from: aws-sts-us-east

  secrets-eu:
    type: aws.secretsmanager
    region: eu-west-1
    credentials_from: aws-sts-eu-west

envs:
  global:
    # One AWS identity per env: here the us-east-1 session (its keys, expiry and AWS_REGION=us-east-1).
    aws_credentials: aws-sts-us-east
    US_DATABASE_URL:
      from: { store: secrets-us, key: app/database-url }
    EU_DATABASE_URL:
      from: { store: secrets-eu, key: app/database-url }
  us:
    aws_credentials: aws-sts-us-east
    DATABASE_URL:
      from: { store: secrets-us, key: app/database-url }
  eu:
    # The eu-west-1 session: AWS_REGION and AWS_DEFAULT_REGION are eu-west-1 for the command.
    aws_credentials: aws-sts-eu-west
    DATABASE_URL:
      from: { store: secrets-eu, key: app/database-url }
`;

const BODIES: Record<Pattern, string> = { basic: BASIC, chain: CHAIN, mfa: MFA, 'multi-region': MULTI_REGION };

/** The file for `pattern`, its first line telling editors with the YAML language server where the schema is. */
export function template(pattern: Pattern, schemaUrl: string): string {
  return `# yaml-language-server: $schema=${schemaUrl}\n${BODIES[pattern]}`;
}
