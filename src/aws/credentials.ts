/** The SDK's credential shape; what every provider returns and every client accepts. */
export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

/** A provider is just a function, as in the AWS SDK: behaviour is added by wrapping it. */
export type CredentialProvider = () => Promise<Credentials>;

/**
 * Merges concurrent calls into one pending promise and keeps the result for the run.
 * A failure is not kept, so a retry in the same process calls again.
 */
export function singleFlight<T>(fn: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    pending ??= fn().catch((e) => {
      pending = undefined;
      throw e;
    });
    return pending;
  };
}

/** STS's response shape converted to the SDK's, so it can be passed to the next client. */
export function fromStsResponse(c: {
  AccessKeyId?: string;
  SecretAccessKey?: string;
  SessionToken?: string;
  Expiration?: Date;
}): Credentials {
  if (!c.AccessKeyId || !c.SecretAccessKey) throw new Error('STS returned no credentials');
  return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration };
}
