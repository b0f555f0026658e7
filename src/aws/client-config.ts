import type { Credentials } from './credentials';

/**
 * How long one AWS call may take, the SDK's retries included, when neither the store, the top level of
 * dsops.yaml nor DSOPS_REQUEST_TIMEOUT says. STS and Secrets Manager answer in well under a second; 30 s
 * leaves room for a slow network and the retries of a throttled call, and still ends a hung CI job early.
 */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/**
 * Attempts per call (the SDK's standard strategy, made explicit so the bound below is too). Each attempt
 * gets an equal share of the timeout, so one hung connection is retried instead of using up the call.
 */
export const MAX_ATTEMPTS = 3;

/** An hour: longer than any AWS call should take, and far below setTimeout's ceiling (about 24.8 days). */
const MAX_TIMEOUT_MS = 3_600_000;

/** Parses `500ms`, `10s`, `2m` (and, for the env var, a bare number of seconds) into milliseconds. */
export function parseTimeout(text: string, bareSeconds = false): number | undefined {
  const m = /^([0-9]+)(ms|s|m)?$/.exec(text.trim());
  if (!m || (m[2] === undefined && !bareSeconds)) return undefined;
  const ms = Number(m[1]) * (m[2] === 'ms' ? 1 : m[2] === 'm' ? 60_000 : 1000);
  return ms > 0 ? Math.min(ms, MAX_TIMEOUT_MS) : undefined;
}

/** `1500` → `1.5s`, `120000` → `2m`: the timeout as a user would have written it. */
export function formatTimeout(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  return ms % 60_000 === 0 ? `${ms / 60_000}m` : `${ms / 1000}s`;
}

/** Where a store's timeout comes from, closest first; `env` is DSOPS_REQUEST_TIMEOUT. */
export function requestTimeoutMs(configured: number | undefined, env: Record<string, string | undefined>): number {
  if (configured !== undefined) return configured;
  const fromEnv = env.DSOPS_REQUEST_TIMEOUT;
  return (fromEnv !== undefined && parseTimeout(fromEnv, true)) || DEFAULT_REQUEST_TIMEOUT_MS;
}

/** A problem with DSOPS_REQUEST_TIMEOUT, worth one warning; undefined when it is unset or valid. */
export function envTimeoutProblem(env: Record<string, string | undefined>): string | undefined {
  const v = env.DSOPS_REQUEST_TIMEOUT;
  if (v === undefined || v.trim() === '' || parseTimeout(v, true) !== undefined) return undefined;
  return `DSOPS_REQUEST_TIMEOUT=${v.slice(0, 40)} is not a timeout (e.g. 10s, 500ms, 2m); using ${formatTimeout(DEFAULT_REQUEST_TIMEOUT_MS)}`;
}

/** Per-attempt socket timeouts for the SDK's Node handler (its documented constructor options). */
export function requestHandlerOptions(timeoutMs: number): {
  connectionTimeout: number;
  requestTimeout: number;
  throwOnRequestTimeout: boolean;
} {
  const perAttempt = Math.max(1, Math.ceil(timeoutMs / MAX_ATTEMPTS));
  // Without throwOnRequestTimeout the handler only logs a warning when requestTimeout passes.
  return { connectionTimeout: perAttempt, requestTimeout: perAttempt, throwOnRequestTimeout: true };
}

/** Constructor config shared by the STS and Secrets Manager clients, so both are bounded the same way. */
export function clientConfig(opts: { region: string; credentials?: Credentials; endpoint?: string; timeoutMs: number }): {
  region: string;
  credentials?: Credentials;
  endpoint?: string;
  maxAttempts: number;
  requestHandler: ReturnType<typeof requestHandlerOptions>;
} {
  return {
    region: opts.region,
    credentials: opts.credentials,
    endpoint: opts.endpoint,
    maxAttempts: MAX_ATTEMPTS,
    requestHandler: requestHandlerOptions(opts.timeoutMs),
  };
}

/** Thrown when a call got no answer within its timeout; the caller adds the store, the hop and the endpoint. */
export class RequestTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`no answer within ${formatTimeout(timeoutMs)}`);
    this.name = 'RequestTimeoutError';
  }
}

/**
 * Runs `work` with an AbortSignal that fires after `timeoutMs`, and rejects at that moment whatever `work`
 * does: the SDK does not check the signal while it sleeps between retries, and a credential_process or a
 * container endpoint may not take a signal at all. This is the overall bound on the call.
 */
export async function withDeadline<T>(timeoutMs: number, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new RequestTimeoutError(timeoutMs));
    }, timeoutMs);
  });
  try {
    return await Promise.race([work(controller.signal), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/* eslint-disable @typescript-eslint/no-explicit-any -- the SDK's middleware types live in @smithy/types, which dsops does not depend on */
type Handler = (args: any) => Promise<any>;
interface MiddlewareHost {
  middlewareStack: {
    add(mw: (next: Handler) => Handler, options: { step: 'finalizeRequest'; priority: 'low'; name: string; override: boolean }): void;
  };
}
/* eslint-enable @typescript-eslint/no-explicit-any */

/** What one client's attempts showed: where they went, and how the last one failed. */
export interface AttemptWatch {
  /** Origin of the last request (protocol, host and port; never the path or query). */
  endpoint(): string | undefined;
  /** The error of the last failed attempt, so a deadline that ends the retries can still say why they happened. */
  lastError(): unknown;
}

/**
 * Watches each attempt of a client's calls through the middleware stack's documented `add`: at the
 * finalizeRequest step with low priority, inside the SDK's retry middleware, so each attempt passes here
 * with its endpoint resolved, and its failure arrives already parsed into an AWS error.
 */
export function watchAttempts(client: MiddlewareHost): AttemptWatch {
  let endpoint: string | undefined;
  let lastError: unknown;
  client.middlewareStack.add(
    (next) => async (args) => {
      const r = (args as { request?: { protocol?: string; hostname?: string; port?: number } }).request;
      if (r && typeof r.hostname === 'string') endpoint = `${r.protocol ?? 'https:'}//${r.hostname}${r.port ? `:${r.port}` : ''}`;
      try {
        return await next(args);
      } catch (e) {
        lastError = e;
        throw e;
      }
    },
    { step: 'finalizeRequest', priority: 'low', name: 'dsopsWatchAttempts', override: true },
  );
  return { endpoint: () => endpoint, lastError: () => lastError };
}
