import { clientConfig, watchAttempts, withDeadline } from './client-config';
import type { Credentials } from './credentials';
import { AwsFailure, describeCallFailure } from './errors';

/** Who a set of credentials belongs to, as STS says, and when STS said it (its `Date` header). */
export interface CallerIdentity {
  arn: string;
  account: string;
  userId: string;
  /** STS's clock at the answer, for clock-skew checks; absent when the answer had no usable Date header. */
  serverDate?: Date;
}

/** A GetCallerIdentity call that failed, described without quoting the response. */
export class CallerIdentityError extends Error {
  constructor(readonly failure: AwsFailure) {
    super(`${failure.code}: ${failure.detail}`);
    this.name = 'CallerIdentityError';
  }
}

export interface CallerIdentityTarget {
  region: string;
  /** STS endpoint override, or the SDK's regional default. */
  endpoint?: string;
  timeoutMs: number;
}

/**
 * GetCallerIdentity needs no permission (IAM cannot deny it), so it tells who credentials are without
 * changing anything: whoami asks it once per hop, doctor once for the root credentials.
 */
export async function callerIdentity(credentials: Credentials, target: CallerIdentityTarget): Promise<CallerIdentity> {
  const sts = await (await import('./sdk')).loadSts();
  const client = new sts.STSClient(clientConfig({ region: target.region, credentials, endpoint: target.endpoint, timeoutMs: target.timeoutMs }));
  const attempts = watchAttempts(client);
  let serverDate: Date | undefined;
  // The deserialize step sees the raw HTTP response (the middleware stack's documented `add`); only its
  // Date header is read, never the body.
  client.middlewareStack.add(
    (next) => async (args) => {
      const out = await next(args);
      const headers = (out as { response?: { headers?: Record<string, string | undefined> } }).response?.headers;
      const date = headers?.date ?? headers?.Date;
      const parsed = date ? new Date(date) : undefined;
      if (parsed && !Number.isNaN(parsed.getTime())) serverDate = parsed;
      return out;
    },
    { step: 'deserialize', name: 'dsopsServerDate', override: true },
  );
  try {
    const out = await withDeadline(target.timeoutMs, (abortSignal) => client.send(new sts.GetCallerIdentityCommand({}), { abortSignal }));
    return { arn: out.Arn ?? '', account: out.Account ?? '', userId: out.UserId ?? '', serverDate };
  } catch (e) {
    throw new CallerIdentityError(describeCallFailure(e, attempts, target.endpoint ?? `STS in ${target.region}`, target.timeoutMs));
  } finally {
    client.destroy();
  }
}
