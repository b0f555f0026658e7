/**
 * The dsops CLI proper, loaded by cli.ts. A line the declaration-driven parser understands (cli/argv.ts)
 * runs its handler directly: yargs costs more to load than the rest of a warm run. Everything else, help
 * and every usage error included, goes through the full yargs program built from the same declaration.
 */
import { parseArgv, Parsed } from './cli/argv';
import { CommandContext } from './cli/context';
import { HANDLERS } from './cli/handlers';
import { report } from './cli/report';

async function runParsed(parsed: Parsed, userEnv: Record<string, string | undefined>): Promise<number> {
  const ctx = new CommandContext(parsed.flags, userEnv);
  try {
    return await HANDLERS[parsed.path.join(' ')](ctx, parsed);
  } catch (e) {
    return report(e, ctx.log, ctx.source);
  }
}

/** Runs dsops with `argv` (without node and the script) and resolves with its exit code. `userEnv` is what a child inherits. */
export async function run(argv: string[], userEnv: Record<string, string | undefined>): Promise<number> {
  // The SDK's Node-version notice would print on every run, and a dsops user cannot act on it mid-deploy.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const parsed = parseArgv(argv);
  try {
    if (parsed.kind === 'ok') return await runParsed(parsed.parsed, userEnv);
    // require, not import(): the bundle is CommonJS, and import() would resolve ESM-style (no extensions).
    const program = require('./cli/program') as typeof import('./cli/program');
    return await program.run(argv, userEnv);
  } catch (e) {
    process.stderr.write(`dsops: ${(e as Error)?.message ?? e}\n`);
    return 1;
  }
}
