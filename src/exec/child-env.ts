/**
 * Ambient credential and profile variables that would shadow or contradict injected STS credentials.
 * The SDKs read AWS_PROFILE before keys in some paths, and a stale AWS_SESSION_TOKEN would be paired
 * with the new key id; so when dsops injects a key, these go unless the env injects them too.
 */
export const AMBIENT_AWS_VARS = [
  'AWS_PROFILE',
  'AWS_DEFAULT_PROFILE',
  'AWS_SESSION_TOKEN',
  'AWS_SECURITY_TOKEN',
  'AWS_CREDENTIAL_EXPIRATION',
] as const;

/** The child's environment: the parent's, plus the resolved values (which win). Pure. */
export function childEnv(
  parent: Record<string, string | undefined>,
  injected: Record<string, string>,
): { env: Record<string, string>; removed: string[] } {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(parent)) if (v !== undefined) env[k] = v;
  const removed: string[] = [];
  if ('AWS_ACCESS_KEY_ID' in injected) {
    for (const k of AMBIENT_AWS_VARS) {
      if (!(k in injected) && k in env) {
        delete env[k];
        removed.push(k);
      }
    }
  }
  Object.assign(env, injected);
  return { env, removed };
}
