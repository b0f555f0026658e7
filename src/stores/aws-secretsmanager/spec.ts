import { quoted } from '../../config/quote';
import { StoreContext } from '../../config/store-context';
import type { StoreSpecBase } from '../../config/types';

export interface SecretsManagerSpec extends StoreSpecBase {
  type: 'aws.secretsmanager';
}

const SECRET_NAME = /^[A-Za-z0-9/_+=.@-]{1,512}$/;
const SECRET_ARN = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+$/;

export function prepareSecretsManager(ctx: StoreContext): SecretsManagerSpec {
  return {
    name: ctx.name,
    type: 'aws.secretsmanager',
    region: ctx.str('region'),
    profile: ctx.str('profile'),
    endpoint: ctx.str('endpoint'),
    credentialsFrom: ctx.raw.credentials_from as string | undefined,
    requestTimeoutMs: ctx.requestTimeoutMs(),
  };
}

/**
 * Splits `prod/db#password` into the secret id and a dot path into its JSON.
 * `#` can never appear in a secret name, so the first one always starts the field.
 */
export function parseSecretKey(key: string): { secretId: string; field?: string; problem?: string } {
  const hash = key.indexOf('#');
  const secretId = hash < 0 ? key : key.slice(0, hash);
  const field = hash < 0 ? undefined : key.slice(hash + 1);
  if (!SECRET_NAME.test(secretId) && !SECRET_ARN.test(secretId)) {
    return { secretId, problem: `${quoted(secretId)} is not a secret name or ARN (names use letters, digits and / _ + = . @ -)` };
  }
  if (field !== undefined && (field === '' || field.split('.').some((s) => s === ''))) {
    return { secretId, field, problem: `"#${field}" is not a field path; write key: ${secretId}#field or #parent.child` };
  }
  return { secretId, field };
}
