/**
 * Env-level keys: an env's mapping holds its variables, so these few lowercase names are reserved and
 * cannot be variables. Lowercase because variables are almost always uppercase (`http_proxy` is the
 * common exception, and clashes with none of them); documented in the README and the schema.
 */
export const ENV_KEYS = new Set(['extends', 'aws_credentials', 'mask', 'server']);

/**
 * What `aws_credentials: STORE` injects: the session's keys and expiry, and the store's resolved region
 * under both names (the AWS CLI v1 reads only AWS_DEFAULT_REGION). Keys are the session store's own.
 */
export const AWS_IDENTITY_VARS: ReadonlyArray<readonly [string, string]> = [
  ['AWS_ACCESS_KEY_ID', 'AccessKeyId'],
  ['AWS_SECRET_ACCESS_KEY', 'SecretAccessKey'],
  ['AWS_SESSION_TOKEN', 'SessionToken'],
  ['AWS_CREDENTIAL_EXPIRATION', 'Expiration'],
  ['AWS_REGION', 'Region'],
  ['AWS_DEFAULT_REGION', 'Region'],
];

export const isEnvKey = (name: string): boolean => ENV_KEYS.has(name);
