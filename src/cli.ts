#!/usr/bin/env node
/**
 * dsops entry point. `exec` in its everyday form runs without loading yargs (see parseFastExec);
 * everything else, including every usage error, goes through the full parser in cli/program.
 */
import { parseFastExec } from './cli/argv';

// Snapshot before dsops sets anything on itself: this is what the child inherits.
const userEnv: Record<string, string | undefined> = { ...process.env };
// The SDK's Node-version notice would print on every run, and a dsops user cannot act on it mid-deploy.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

async function fastExec(args: NonNullable<ReturnType<typeof parseFastExec>>): Promise<number> {
  const { CommandContext } = await import('./cli/context');
  const { execCommand } = await import('./cli/exec');
  const { report } = await import('./cli/report');
  const ctx = new CommandContext(args, userEnv);
  try {
    return await execCommand(ctx, args);
  } catch (e) {
    return report(e, ctx.log, ctx.source);
  }
}

// Node's default SIGUSR1 action opens the inspector on 127.0.0.1:9229: in a process that holds
// credentials, a signal that arrives before the child starts must do nothing instead.
process.on('SIGUSR1', () => undefined);

const argv = process.argv.slice(2);
const fast = parseFastExec(argv);
// require, not import(): the bundle is CommonJS, and import() would resolve ESM-style (no extensions).
const main = fast
  ? fastExec(fast)
  : Promise.resolve().then(() => (require('./cli/program') as typeof import('./cli/program')).run(argv, userEnv));
main.then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`dsops: ${(e as Error)?.message ?? e}\n`);
    process.exitCode = 1;
  },
);
