/**
 * `exec --server`: the child's credentials come from a local endpoint, not from its environment. The
 * endpoint starts before the child and closes when the child has exited, whatever the exit.
 */
import { resolve as resolvePath } from 'path';
import type { CommandContext } from '../cli/context';
import { CacheFlags, sessionDecorator } from '../cli/session-cache';
import type { PreparedEnv } from '../config/types';
import { startCredentialServer } from './credential-server';
import { noMfaCodes } from './no-mfa-prompt';
import { sessionSource } from './session-source';

/** What the child must not hold: the endpoint replaces them, and a static key would shadow it. */
export const SERVED_VARS = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_SECURITY_TOKEN', 'AWS_CREDENTIAL_EXPIRATION'];
/** Other container-credential settings the SDKs would read before or instead of ours. */
const COMPETING_VARS = ['AWS_CONTAINER_CREDENTIALS_RELATIVE_URI', 'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE'];

export interface ServeChildOptions {
  ctx: CommandContext;
  envName: string;
  prepared: PreparedEnv;
  /** The store whose session the endpoint hands out. */
  store: string;
  flags: CacheFlags;
  /** The child's environment as plain `exec` would give it. */
  childEnv: Record<string, string>;
}

export async function serveChild(o: ServeChildOptions, run: (env: Record<string, string>) => Promise<number>): Promise<number> {
  const { ctx } = o;
  // The terminal belongs to the child from here on: a new MFA code is asked for by another dsops run,
  // which puts the session in the shared cache, where the next request finds it.
  // Absolute: the other terminal may be anywhere.
  const abs = resolvePath(o.prepared.file);
  const file = /^[\w./-]+$/.test(abs) ? abs : JSON.stringify(abs);
  const hint = `run \`dsops exec -c ${file} --env ${o.envName} -- true\` in another terminal to enter a code; the endpoint's next request uses the session it caches`;
  const credentials = sessionSource(o.prepared, o.store, {
    env: ctx.env,
    log: ctx.log,
    mfa: noMfaCodes(hint),
    decorateSession: sessionDecorator(ctx, { cache: o.flags.cache }),
  });
  const server = await startCredentialServer({ credentials, log: ctx.log });
  const env = { ...o.childEnv };
  for (const k of [...SERVED_VARS, ...COMPETING_VARS]) delete env[k];
  env.AWS_CONTAINER_CREDENTIALS_FULL_URI = server.url;
  env.AWS_CONTAINER_AUTHORIZATION_TOKEN = server.token;
  ctx.log.verbose(`store ${o.store}: served to the command from ${server.url}, refreshed as it nears expiry`);
  try {
    return await run(env);
  } finally {
    await server.close();
  }
}
