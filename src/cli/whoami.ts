/**
 * `dsops whoami --env NAME | --store NAME`: the identity at each hop, root first, from GetCallerIdentity
 * (which needs no permission). Data on stdout; sessions come through the same cache and lock as exec's.
 */
import { loadProfiles } from '../aws/credential-source';
import { DsopsError, EXIT } from '../errors';
import { prepareEnv, prepareStore } from '../prepare';
import { mfaCodes } from '../resolve/mfa';
import { promptOnTty } from '../resolve/tty-prompt';
import { Hop, whoami } from '../resolve/whoami';
import { STORE_TYPES } from '../stores/registry';
import { CommandContext } from './context';
import { CacheFlags, sessionDecorator } from './session-cache';

export interface WhoamiArgs extends CacheFlags {
  env?: string;
  store?: string;
  json?: boolean;
}

export async function whoamiCommand(ctx: CommandContext, args: WhoamiArgs, stdout: (text: string) => void = (t) => void process.stdout.write(t)): Promise<number> {
  if (args.store !== undefined && args.env !== undefined) {
    throw new DsopsError('--env and --store name the chain two ways', 'E_USAGE', EXIT.CONFIG, 'give one of them');
  }
  const envName = args.store === undefined ? (args.env ?? ctx.env.DSOPS_ENV) : undefined;
  if (args.store === undefined && !envName) {
    throw new DsopsError('missing --env or --store', 'E_USAGE', EXIT.CONFIG, 'try: dsops whoami --env production (or --store NAME)');
  }
  const source = ctx.load();
  let prepared, targets: string[];
  if (args.store !== undefined) {
    prepared = prepareStore(source, args.store, ctx.scope());
    targets = [args.store];
  } else {
    prepared = prepareEnv(source, envName!, ctx.scope());
    targets = [...new Set(prepared.vars.flatMap((v) => (v.kind === 'store' ? [v.store] : [])))];
  }
  const hops = await whoami(prepared, {
    env: ctx.env,
    log: ctx.log,
    mfa: mfaCodes({ interactive: () => require('tty').isatty(0) as boolean, prompt: promptOnTty }),
    registry: STORE_TYPES,
    decorateSession: sessionDecorator(ctx, args),
    targets,
    loadProfiles,
  });
  if (!hops.length && !args.json) {
    ctx.log.info(`env ${envName}: reads no store, so no credentials are used`);
    return EXIT.OK;
  }
  const now = ctx.now.getTime();
  stdout(args.json ? JSON.stringify({ [envName !== undefined ? 'env' : 'store']: envName ?? args.store, hops: hops.map(toJson) }, null, 2) + '\n' : render(hops, now));
  return EXIT.OK;
}

function toJson(h: Hop): Record<string, unknown> {
  if (h.kind === 'root') return { kind: 'root', source: h.source, signs: h.signs, ...h.identity };
  return {
    kind: 'session',
    store: h.store,
    hop: h.hop,
    of: h.of,
    path: h.path,
    ...(h.identity ?? {}),
    ...(h.expiration ? { expiration: h.expiration.toISOString() } : {}),
    ...(h.fromCache !== undefined ? { fromCache: h.fromCache } : {}),
    ...(h.skipped ? { skipped: h.skipped } : {}),
  };
}

/** One line per hop, aligned: `hop 2 of 3  Admin  arn:…  expires 10:42:00Z (in 58m, cached)`. */
function render(hops: Hop[], now: number): string {
  const rows = hops.map((h) => {
    if (h.kind === 'root') return ['root', '', h.identity.arn, `from ${h.source}`];
    const label = `hop ${h.hop} of ${h.of}`;
    if (!h.identity) return [label, h.store, '-', h.skipped ?? ''];
    const when = h.expiration ? `expires ${h.expiration.toISOString().replace(/\.\d{3}Z$/, 'Z')} (${untilText(h.expiration.getTime() - now)}, ${h.fromCache ? 'cached' : 'new'})` : h.fromCache ? 'cached' : 'new';
    return [label, h.store, h.identity.arn, when];
  });
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((c, i) => (i < 3 ? c.padEnd(widths[i]) : c)).join('  ').trimEnd()).join('\n') + '\n';
}

function untilText(ms: number): string {
  if (ms <= 0) return 'expired';
  const m = Math.floor(ms / 60_000);
  return m >= 60 ? `in ${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m` : `in ${m}m`;
}
