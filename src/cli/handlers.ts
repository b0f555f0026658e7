/**
 * What each command of cli/commands.ts does, keyed by its path (`exec`, `cache clear`). Both parsers end
 * here. Command modules are required inside each handler, so a run loads only the command it runs.
 */
import type { CommandArgs } from './commands';
import type { CommandContext } from './context';

export type Handler = (ctx: CommandContext, args: CommandArgs) => number | Promise<number>;

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const bool = (v: unknown): boolean | undefined => (typeof v === 'boolean' ? v : undefined);

export const HANDLERS: Record<string, Handler> = {
  exec: (ctx, a) =>
    (require('./exec') as typeof import('./exec')).execCommand(ctx, {
      env: str(a.flags.env),
      cache: bool(a.flags.cache),
      refresh: bool(a.flags.refresh),
      mask: bool(a.flags.mask),
      server: bool(a.flags.server),
      command: a.positionals,
    }),
  export: (ctx, a) =>
    (require('./export') as typeof import('./export')).exportCommand(ctx, {
      env: str(a.flags.env),
      format: str(a.flags.format),
      out: str(a.flags.out),
      cache: bool(a.flags.cache),
      refresh: bool(a.flags.refresh),
    }),
  'credential-process': (ctx, a) =>
    (require('./credential-process') as typeof import('./credential-process')).credentialProcessCommand(ctx, {
      env: str(a.flags.env),
      store: str(a.flags.store),
      cache: bool(a.flags.cache),
    }),
  whoami: (ctx, a) =>
    (require('./whoami') as typeof import('./whoami')).whoamiCommand(ctx, {
      env: str(a.flags.env),
      store: str(a.flags.store),
      json: bool(a.flags.json),
      cache: bool(a.flags.cache),
    }),
  validate: (ctx, a) =>
    (require('./validate') as typeof import('./validate')).validateCommand(ctx, { env: str(a.flags.env), strict: bool(a.flags.strict), json: bool(a.flags.json) }),
  plan: (ctx, a) => (require('./plan') as typeof import('./plan')).planCommand(ctx, { env: str(a.flags.env), json: bool(a.flags.json) }),
  graph: (ctx, a) => (require('./graph') as typeof import('./graph')).graphCommand(ctx, { env: str(a.flags.env), format: str(a.flags.format) }),
  init: (ctx, a) => (require('./init') as typeof import('./init')).initCommand(ctx, { pattern: str(a.flags.pattern) }),
  doctor: (ctx, a) => (require('./doctor') as typeof import('./doctor')).doctorCommand(ctx, { json: bool(a.flags.json) }),
  'cache list': (ctx, a) => (require('./cache') as typeof import('./cache')).cacheListCommand(ctx, { json: bool(a.flags.json) }),
  'cache clear': (ctx, a) => (require('./cache') as typeof import('./cache')).cacheClearCommand(ctx, { stores: a.positionals }),
};
