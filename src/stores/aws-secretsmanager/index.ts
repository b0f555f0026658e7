import type { StoreType } from '../../store-type';
import { extractField, readSecrets, requestKey, SecretRequest } from './reader';
import { parseSecretKey, prepareSecretsManager, SecretsManagerSpec } from './spec';
import schema = require('./schema.json');

/** What an env reads from a secret: the secret (and version), and optionally a dot path into its JSON. */
export interface SecretRef extends SecretRequest {
  field?: string;
}

/** `type: aws.secretsmanager`: secrets read with BatchGetSecretValue (GetSecretValue for versions or one secret). */
export const awsSecretsManager: StoreType<SecretsManagerSpec, SecretRef> = {
  type: 'aws.secretsmanager',
  schema,
  endpointService: 'SECRETS_MANAGER',
  prepare: prepareSecretsManager,
  bind(from) {
    const k = parseSecretKey(from.key);
    if (k.problem) return { problem: k.problem };
    const ref: SecretRef = { secretId: k.secretId, field: k.field, versionStage: from.version_stage, versionId: from.version_id };
    return { bound: { id: `${requestKey(ref)}\u0000${k.field ?? ''}`, ref } };
  },
  async read(spec, refs, deps) {
    // One read per distinct secret (and version), however many fields of it the env picks.
    const secrets = await readSecrets(
      spec,
      refs.map((b) => b.ref),
      deps,
    );
    const out = new Map<string, string | { problem: string; code: string }>();
    for (const { id, ref } of refs) {
      const secret = secrets.get(requestKey(ref))!;
      if (ref.field === undefined) {
        out.set(id, secret);
        continue;
      }
      const r = extractField(secret, ref.field);
      out.set(id, r.problem !== undefined ? { problem: `secret ${ref.secretId}: ${r.problem}`, code: 'E_SECRET_FIELD' } : r.value!);
    }
    return out;
  },
  describe: () => ({ summary: 'secrets', details: {} }),
};
