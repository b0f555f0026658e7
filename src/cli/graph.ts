import { didYouMean } from '../config/suggest';
import { ConfigError, DsopsError, EXIT } from '../errors';
import { configGraph, GRAPH_FORMATS, GraphFormat, toDot, toMermaid } from '../graph/render';
import { CommandContext } from './context';

/** `dsops graph [--env NAME] [--format mermaid|dot]`: the store graph on stdout. No network, no values. */
export function graphCommand(ctx: CommandContext, args: { env?: string; format?: string }): number {
  const format = (args.format ?? 'mermaid') as GraphFormat;
  if (!GRAPH_FORMATS.includes(format)) {
    const guess = didYouMean(format, GRAPH_FORMATS);
    throw new DsopsError(`graph: unknown --format "${format}"`, 'E_USAGE', EXIT.CONFIG, `${guess ? `did you mean "${guess}"? ` : ''}formats: ${GRAPH_FORMATS.join(', ')}`);
  }
  const source = ctx.load();
  // The picture is of the file as written: a store with a problem inside it would draw wrong.
  if (source.schemaIssues.length) throw new ConfigError(source.schemaIssues);
  const envs = Object.keys((source.data as { envs?: object }).envs ?? {});
  if (args.env !== undefined && !envs.includes(args.env)) {
    const guess = didYouMean(args.env, envs);
    throw new ConfigError([
      {
        code: 'E_UNKNOWN_ENV',
        message: `env "${args.env}" is not defined in ${source.file} (envs: ${envs.join(', ')})`,
        path: ['envs'],
        atKey: true,
        hint: guess ? `did you mean "${guess}"?` : undefined,
      },
    ]);
  }
  const graph = configGraph(source.data, args.env);
  process.stdout.write(format === 'dot' ? toDot(graph) : toMermaid(graph));
  return 0;
}
