import { ConfigError, ConfigIssue, EXIT, formatLoc } from '../errors';
import type { ConfigSource } from '../config/source';
import { isUnsetVar, UnsetVarIssue } from '../config/unset-var';
import { prepareAll, prepareEnv } from '../prepare';
import { count } from '../plural';
import { CommandContext } from './context';

export interface ValidateArgs {
  /** Check this env only, as `exec --env` would: an unset variable is an error. */
  env?: string;
  /** Every env, with unset variables as errors. */
  strict?: boolean;
  json?: boolean;
}

/**
 * `dsops validate`: every env and every store, no network. Without --env or --strict an unset `${VAR}` is
 * not an error but something a run will need, so a config can be linted in CI with no secret exported;
 * everything that does not depend on such a variable is still checked.
 */
export function validateCommand(ctx: CommandContext, args: ValidateArgs = {}): number {
  let source: ConfigSource | undefined;
  let problems: ConfigIssue[] = [];
  let needs: UnsetVarIssue[] = [];
  let envCount = 0;
  try {
    source = ctx.load();
    if (args.env !== undefined) envCount = (prepareEnv(source, args.env, ctx.scope()), 1);
    else envCount = prepareAll(source, ctx.scope()).length;
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    source ??= ctx.source;
    const located = e.issues.map((i) => ({ ...i, loc: i.loc ?? source?.locate(i.path, i.atKey) }));
    const lenient = args.env === undefined && !args.strict;
    problems = lenient ? located.filter((i) => !isUnsetVar(i)) : located;
    needs = lenient ? (located.filter(isUnsetVar) as UnsetVarIssue[]) : [];
    // Only text output goes through the common reporter; --json keeps stdout machine-readable.
    if (problems.length && !args.json) throw new ConfigError(problems);
    if (!problems.length) envCount = Object.keys((source?.data as { envs?: object } | undefined)?.envs ?? {}).length;
  }
  const stores = Object.keys((source?.data as { secretStores?: object } | undefined)?.secretStores ?? {}).length;
  const needed = byVariable(needs);
  if (args.json) {
    const out = {
      file: source?.file ?? null,
      valid: problems.length === 0,
      problems: problems.map(jsonIssue),
      needs: [...needed].map(([variable, uses]) => ({ variable, uses: uses.map(jsonIssue) })),
    };
    process.stdout.write(JSON.stringify(out, null, 2) + '\n');
    return problems.length ? EXIT.CONFIG : EXIT.OK;
  }
  const what = args.env !== undefined ? `env ${args.env}` : `${count(stores, 'store')}, ${count(envCount, 'env')}`;
  ctx.log.info(`${source!.file}: valid (${what})`);
  if (needed.size) {
    ctx.log.info(`a run will need ${count(needed.size, 'variable')} that ${needed.size === 1 ? 'is' : 'are'} not set here:`);
    for (const [variable, uses] of needed) {
      ctx.log.info(`  ${variable}: ${uses.map((u) => (u.loc ? formatLoc(u.loc) : u.path.join('.'))).join(', ')}`);
    }
  }
  return EXIT.OK;
}

function byVariable(needs: UnsetVarIssue[]): Map<string, UnsetVarIssue[]> {
  const out = new Map<string, UnsetVarIssue[]>();
  const byPlace = (a: UnsetVarIssue, b: UnsetVarIssue) => (a.loc?.line ?? 0) - (b.loc?.line ?? 0) || (a.loc?.col ?? 0) - (b.loc?.col ?? 0);
  for (const n of [...needs].sort(byPlace)) out.set(n.variable, [...(out.get(n.variable) ?? []), n]);
  return new Map([...out].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function jsonIssue(i: ConfigIssue): Record<string, unknown> {
  return {
    code: i.code,
    message: i.message,
    file: i.loc?.file ?? null,
    line: i.loc?.line ?? null,
    col: i.loc?.col ?? null,
    ...(i.hint ? { hint: i.hint } : {}),
  };
}
