/** Types for bench/latency-proxy.js, so TypeScript tests can use it. */

export type FaultKind = 'throttle' | 'deny' | 'error5xx' | 'reset' | 'hang' | 'body' | 'truncate' | 'corrupt';

export interface FaultRule {
  kind: FaultKind;
  /** The AWS action to fault (AssumeRole, BatchGetSecretValue, ...), or "*" for any. Default "*". */
  action?: string;
  /** At most this many injections (1..1000). Default 1. */
  times?: number;
  /** Let this many matching requests through first. Default 0. */
  skip?: number;
  /** Override the HTTP status, error code or message of the injected error. */
  status?: number;
  code?: string;
  message?: string;
  /** `body`: the reply's text, sent verbatim with `status` (default 200) and `contentType` (default text/html). */
  body?: string;
  contentType?: string;
  /** `corrupt`: the first match of `find` in moto's answer is replaced by `replace`. */
  find?: string | RegExp;
  replace?: string;
}

export interface ProxyOptions {
  /** Loopback http:// URL of moto_server. */
  target: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Added to every AWS request; default 100. */
  delayMs?: number;
  /** Added instead to an AssumeRole whose RoleArn contains slowPattern; default 500. */
  slowMs?: number;
  /** Default "Slow". */
  slowPattern?: string;
  faults?: FaultRule[];
}

export interface ProxyLogEntry {
  at: number;
  method: string;
  path: string;
  service: string;
  action: string;
  roleArn?: string;
  delayMs: number;
  fault?: FaultKind;
}

export interface LatencyProxy {
  url: string;
  port: number;
  log: ProxyLogEntry[];
  readonly faults: (Required<Pick<FaultRule, 'kind' | 'action' | 'times' | 'skip'>> & { injected: number; seen: number })[];
  addFault(rule: FaultRule): LatencyProxy['faults'][number];
  clearFaults(): void;
  clearLog(): void;
  close(): Promise<void>;
}

export function startLatencyProxy(options: ProxyOptions): Promise<LatencyProxy>;
export function describe(
  headers: Record<string, string | string[] | undefined>,
  body: string,
): { protocol: 'json' | 'query'; service: string; action: string; target?: string; roleArn?: string };
export function isLoopbackHost(host: string): boolean;
export function isLoopbackAddress(addr: string | undefined): boolean;
