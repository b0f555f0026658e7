import { serviceEndpoint } from '../../aws/endpoint';
import type { StsSpec } from './types';

/**
 * Identifies an STS session: everything that changes what AWS would hand back.
 * Left out on purpose: token_code (a new code is the same session) and the volatile `${TIMESTAMP}`
 * part of role_session_name, so a per-run name still hits the cache.
 * `upstream` is the key of the credentials_from store, or the identity of the root credentials.
 *
 * The key is the identity itself (canonical JSON per hop), not a hash of it: two stores share a session only
 * when their keys are equal, and a cache file is used only when the key it stores is equal, so neither
 * depends on a hash being collision-free. The file's name is a digest of the key (session-file.ts).
 */
export function sessionKey(spec: StsSpec, region: string, endpoint: string | undefined, upstream: string): string {
  const material = {
    v: 1,
    op: spec.operation,
    roleArn: spec.roleArn ?? null,
    sessionName: spec.roleSessionNameStable,
    externalId: spec.externalId ?? null,
    policy: spec.sessionPolicy ?? null,
    policyArns: spec.policyArns,
    tags: spec.tags.map((t) => [t.Key, t.Value]),
    transitive: spec.transitiveTagKeys,
    sourceIdentity: spec.sourceIdentity ?? null,
    duration: spec.durationSeconds ?? null,
    serial: spec.serialNumber ?? null,
    region,
    endpoint: endpoint ?? null,
  };
  // One line per hop, this one first: nesting the upstream's key inside this JSON would escape it again
  // at every hop, and JSON.stringify leaves no raw newline in a line, so the split is unambiguous.
  return `${JSON.stringify(material)}\n${upstream}`;
}

/** The STS endpoint a store will talk to (see serviceEndpoint). */
export function stsEndpoint(specEndpoint: string | undefined, env: Record<string, string | undefined>): string | undefined {
  return serviceEndpoint(specEndpoint, env, 'STS');
}
