/**
 * The resolve path `exec` and `export` share: load the config, prepare the env, resolve its stores with the
 * session cache and the MFA prompt. Same logs, same errors, same exit codes for both commands.
 */
import { prepareEnv } from '../prepare';
import type { ConfigSource } from '../config/source';
import type { PreparedEnv } from '../config/types';
import { resolvePrepared, ResolvedEnv } from '../resolve/resolve-env';
import { promptOnTty } from '../resolve/tty-prompt';
import { CommandContext } from './context';
import { sessionDecorator, CacheFlags } from './session-cache';

export async function resolveForEnv(
  ctx: CommandContext,
  envName: string,
  flags: CacheFlags,
  /** Runs after the env is prepared, before any AWS call: a command's own config checks (exit 2). */
  check?: (prepared: PreparedEnv, source: ConfigSource) => void,
): Promise<{ prepared: PreparedEnv; resolved: ResolvedEnv }> {
  const source = ctx.load();
  const prepared = prepareEnv(source, envName, ctx.scope());
  check?.(prepared, source);
  const resolved = await resolvePrepared(prepared, {
    env: ctx.env,
    log: ctx.log,
    // Asked only when a code is needed: touching process.stdin would cost every warm run.
    interactive: () => require('tty').isatty(0) as boolean,
    prompt: promptOnTty,
    decorateSession: sessionDecorator(ctx, flags),
  });
  return { prepared, resolved };
}

/**
 * The values that came from a store (secrets and credentials), as opposed to literals written in the
 * config. An STS session's Expiration (a timestamp) and Region are not credentials.
 */
export function storeValues(prepared: PreparedEnv, values: Record<string, string>): string[] {
  return prepared.vars
    .filter((v) => v.kind !== 'literal' && !(v.credential && (v.ref === 'Expiration' || v.ref === 'Region')))
    .map((v) => values[v.name])
    .filter((v): v is string => v !== undefined);
}
