/**
 * `dsops export --env NAME --format F [--out FILE]`: an env's values as text, for `eval`, a .env file,
 * docker --env-file or a GitHub Actions step. Resolves exactly as `exec` does (same logs, errors, exit
 * codes); no child is started.
 */
import { DsopsError, EXIT } from '../errors';
import { ExportFormat, FORMATS, render, dockerReadsExactly } from '../export/formats';
import { CommandContext } from './context';
import { resolveForEnv } from './resolve-for-env';
import { CacheFlags } from './session-cache';

export interface ExportArgs extends CacheFlags {
  env?: string;
  format?: string;
  out?: string;
}

/** Where the text goes; injectable for tests. */
export interface ExportIo {
  stdout: (text: string) => void;
  stdoutIsTTY: () => boolean;
  writeFile: (file: string, text: string) => Promise<void>;
  appendFile: (file: string, text: string) => void;
}

const realIo = (): ExportIo => ({
  stdout: (t) => void process.stdout.write(t),
  stdoutIsTTY: () => process.stdout.isTTY === true,
  writeFile: (file, text) => (require('../cache/write-private') as typeof import('../cache/write-private')).writePrivateFile(file, text),
  // GitHub's runner owns $GITHUB_ENV and expects appends; the file keeps its own mode.
  appendFile: (file, text) => (require('fs') as typeof import('fs')).appendFileSync(file, text),
});

export async function exportCommand(ctx: CommandContext, args: ExportArgs, io: ExportIo = realIo()): Promise<number> {
  const envName = args.env ?? ctx.env.DSOPS_ENV;
  if (!envName) {
    throw new DsopsError('missing --env', 'E_USAGE', EXIT.CONFIG, 'try: dsops export --env production --format dotenv (or set DSOPS_ENV)');
  }
  if (!args.format || !(FORMATS as readonly string[]).includes(args.format)) {
    throw new DsopsError(
      args.format ? `unknown --format ${args.format}` : 'missing --format',
      'E_USAGE',
      EXIT.CONFIG,
      `--format is one of: ${FORMATS.join(', ')}`,
    );
  }
  const format = args.format as ExportFormat;
  const { prepared, resolved } = await resolveForEnv(ctx, envName, args);
  const entries = prepared.vars.map((v): [string, string] => [v.name, resolved.values[v.name]]);
  const { body, masks } = render(format, entries);

  if (format === 'dotenv') {
    for (const [name, value] of entries) {
      if (!dockerReadsExactly(value)) ctx.log.verbose(`${name} is quoted: docker --env-file would keep the quotes${value.includes('\n') ? ' (and cannot carry a multi-line value)' : ''}`);
    }
  }
  // github: --out wins (a file of blocks for a later step to append); else $GITHUB_ENV, appended as GitHub expects.
  const target = args.out ?? (format === 'github' ? ctx.env.GITHUB_ENV || undefined : undefined);
  if (io.stdoutIsTTY() && entries.length && (target === undefined || masks.length)) {
    ctx.log.warn(`showing ${entries.length} values on the terminal${target === undefined ? ' (use --out FILE to write them to a file)' : ''}`);
  }
  if (format === 'github') {
    for (const [name, value] of entries) if (value.includes('\r')) ctx.log.warn(`${name}: the GitHub runner reads a carriage return as a line break`);
    // Masks first, on stdout, where the runner reads workflow commands: before any value can reach the log.
    if (masks.length) io.stdout(masks.join('\n') + '\n');
  }
  if (target === undefined) {
    io.stdout(body);
    return EXIT.OK;
  }
  try {
    if (args.out !== undefined) await io.writeFile(target, body);
    else io.appendFile(target, body);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'EIO';
    throw new DsopsError(`cannot write ${args.out !== undefined ? target : `$GITHUB_ENV (${target})`}: ${code}`, 'E_WRITE', EXIT.RUNTIME);
  }
  ctx.log.verbose(`wrote ${entries.length} vars (${format}) to ${target}`);
  return EXIT.OK;
}
