import { ConfigError, ConfigIssue, ResolveError } from '../errors';
import type { PreparedEnv, SecretsManagerSpec, StsSpec, VarBinding } from '../config/types';
import { CredentialProvider, Credentials, singleFlight } from '../aws/credentials';
import { rootCredentials, rootIdentity } from '../aws/root-credentials';
import { resolveRegion } from '../aws/region';
import { envTimeoutProblem, requestTimeoutMs } from '../aws/client-config';
import { secretsEndpoint, sessionKey, stsEndpoint } from '../cache/session-key';
import { stsProvider } from '../stores/aws-sts/provider';
import { extractField, readSecrets, requestKey, SecretRequest } from '../stores/aws-secretsmanager/reader';
import { Logger, silentLogger } from '../log';
import { mfaCodes, MfaPrompt } from './mfa';

/** Facts about one STS session, handed to a session decorator (the cross-run cache). */
export interface SessionInfo {
  spec: StsSpec;
  key: string;
  region: string;
}

/** Wraps an STS provider, e.g. with the persistent session cache. */
export type SessionDecorator = (provider: CredentialProvider, info: SessionInfo) => CredentialProvider;

export interface ResolveOptions {
  env?: Record<string, string | undefined>;
  log?: Logger;
  /** Whether a person can be asked for an MFA code; a function is asked only when a code is needed. */
  interactive?: boolean | (() => boolean);
  prompt?: MfaPrompt;
  /** Wraps each STS session provider; the CLI passes the persistent cache here. */
  decorateSession?: SessionDecorator;
}

export interface ResolvedEnv {
  /** Variable name → value. Values are secrets: never log them. */
  values: Record<string, string>;
}

interface Runtime {
  region: string;
  hop: string[];
  /** Session key (STS) used to dedupe identical sessions and chain cache keys. */
  key?: string;
  credentials?: CredentialProvider;
}

/**
 * Resolves an env's stores in dependency order. Each store's work starts the moment its own source is
 * ready (promises, not waves), identical sessions are shared, and each store resolves at most once.
 */
export async function resolvePrepared(prepared: PreparedEnv, options: ResolveOptions = {}): Promise<ResolvedEnv> {
  const env = options.env ?? process.env;
  const log = options.log ?? silentLogger;
  const mfa = mfaCodes({
    interactive: options.interactive ?? false,
    prompt: options.prompt ?? (async () => Promise.reject(new Error('no prompt'))),
  });
  const started = Date.now();
  const envProblem = envTimeoutProblem(env);
  if (envProblem) log.warn(envProblem);
  const timeoutOf = (spec: StsSpec | SecretsManagerSpec): number => requestTimeoutMs(spec.requestTimeoutMs, env);

  // Regions first: a missing one is a config problem, reported before any AWS call.
  const regions = new Map<string, string>();
  const missing: ConfigIssue[] = [];
  await Promise.all(
    prepared.order.map(async (name) => {
      const spec = prepared.stores.get(name)!;
      const region = await resolveRegion(spec.region, spec.profile, env);
      if (region) regions.set(name, region);
      else {
        missing.push({
          code: 'E_NO_REGION',
          message: `store ${name}: no region: set region in the store, AWS_REGION in the environment, or a region in the AWS profile`,
          path: ['secretStores', name],
        });
      }
    }),
  );
  if (missing.length) throw new ConfigError(missing);

  const runtimes = new Map<string, Runtime>();
  const sessions = new Map<string, CredentialProvider>();
  for (const name of prepared.order) {
    const spec = prepared.stores.get(name)!;
    const upstream = spec.credentialsFrom ? runtimes.get(spec.credentialsFrom)! : undefined;
    const rt: Runtime = { region: regions.get(name)!, hop: [...(upstream?.hop ?? []), name] };
    const source = upstream?.credentials ?? rootCredentials(name, spec.profile, env, timeoutOf(spec));
    if (spec.type === 'aws.sts') {
      const endpoint = stsEndpoint(spec.endpoint, env);
      rt.key = sessionKey(spec, rt.region, endpoint, upstream?.key ?? rootIdentity(spec.profile, env));
      let provider = sessions.get(rt.key);
      if (!provider) {
        const raw = stsProvider(spec, { source, region: rt.region, endpoint, hop: rt.hop, mfa, log, timeoutMs: timeoutOf(spec) });
        const decorated = options.decorateSession ? options.decorateSession(raw, { spec, key: rt.key, region: rt.region }) : raw;
        provider = singleFlight(decorated);
        sessions.set(rt.key, provider);
      } else log.debug(`store ${name}: same session as an earlier store; sharing it`);
      rt.credentials = provider;
    } else {
      rt.credentials = source;
    }
    runtimes.set(name, rt);
  }

  // Secrets: one read per store for all the distinct secrets its vars name. Values live in memory for
  // this run only (never on disk); lru-cache is loaded here so warm, secret-free runs never pay for it.
  let secretReads: import('lru-cache').LRUCache<string, Promise<Map<string, string>>> | undefined;
  const readsFor = (store: string): Promise<Map<string, string>> => {
    if (!secretReads) {
      const { LRUCache } = require('lru-cache') as typeof import('lru-cache');
      secretReads = new LRUCache({ max: Math.max(1, prepared.order.length) });
    }
    let p = secretReads.get(store);
    if (!p) {
      const requests: SecretRequest[] = prepared.vars.filter((v): v is Extract<VarBinding, { kind: 'secret' }> => v.kind === 'secret' && v.store === store);
      const rt = runtimes.get(store)!;
      const spec = prepared.stores.get(store) as SecretsManagerSpec;
      p = readSecrets(spec, requests, {
        credentials: rt.credentials!,
        region: rt.region,
        endpoint: secretsEndpoint(spec.endpoint, env),
        hop: rt.hop,
        log,
        timeoutMs: timeoutOf(spec),
      });
      secretReads.set(store, p);
    }
    return p;
  };

  const values: Record<string, string> = {};
  const results = await Promise.allSettled(
    prepared.vars.map(async (v) => {
      values[v.name] = await valueOf(v, runtimes, readsFor);
    }),
  );
  const failures = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason as unknown);
  if (failures.length) {
    // Several vars often fail for one cause (a denied hop); report each distinct message once.
    const first = failures[0];
    const others = [...new Set(failures.slice(1).map((f) => (f as Error).message))].filter((m) => m !== (first as Error).message);
    for (const m of others) log.error(m);
    throw first;
  }
  log.verbose(`resolved ${prepared.vars.length} vars from ${prepared.order.length} stores in ${Date.now() - started} ms`);
  return { values };
}

async function valueOf(
  v: VarBinding,
  runtimes: Map<string, Runtime>,
  readsFor: (store: string) => Promise<Map<string, string>>,
): Promise<string> {
  if (v.kind === 'literal') return v.value;
  if (v.kind === 'sts') {
    const c: Credentials = await runtimes.get(v.store)!.credentials!();
    switch (v.key) {
      case 'AccessKeyId':
        return c.accessKeyId;
      case 'SecretAccessKey':
        return c.secretAccessKey;
      case 'SessionToken':
        return c.sessionToken ?? '';
      case 'Expiration':
        return c.expiration ? new Date(c.expiration).toISOString() : '';
    }
  }
  const secrets = await readsFor(v.store);
  const secret = secrets.get(requestKey(v))!;
  if (v.field === undefined) return secret;
  const r = extractField(secret, v.field);
  if (r.problem !== undefined) {
    throw new ResolveError(`store ${v.store}: var ${v.name}: secret ${v.secretId}: ${r.problem}`, 'E_SECRET_FIELD', v.store);
  }
  return r.value!;
}
