import { DsopsError, EXIT } from '../errors';
import { osConstants, SpawnError, SpawnImpl, spawnChild } from './spawn-child';

export const FORWARDED_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2'];

/**
 * Runs the command with inherited stdio, forwards signals to it, and resolves with the exit code
 * dsops should exit with: the child's own, or 128+N when a signal killed it.
 * The command and its args go on argv; values only ever go in the environment.
 */
export async function runChild(command: string, args: string[], env: Record<string, string>, impl?: SpawnImpl): Promise<number> {
  const child = spawnChild(command, args, env, impl);
  // The terminal already sent SIGINT to the whole process group; forwarding is for signals sent
  // to dsops alone (kill, CI runners). A second delivery of SIGINT is harmless to most programs,
  // and none is sent once the child is gone.
  const handlers = FORWARDED_SIGNALS.map((sig) => [sig, () => child.kill(sig)] as const);
  for (const [sig, h] of handlers) process.on(sig, h);
  try {
    const { code, signal } = await child.exited;
    return signal ? 128 + (osConstants().signals[signal] ?? 0) : (code ?? 0);
  } catch (e) {
    if (!(e instanceof SpawnError)) throw e;
    if (e.code === 'ENOENT') {
      throw new DsopsError(`command not found: ${command}`, 'E_COMMAND_NOT_FOUND', EXIT.NOT_FOUND, 'check the command is installed and on PATH');
    }
    if (e.code === 'EACCES') throw new DsopsError(`command not executable: ${command}`, 'E_COMMAND_NOT_EXECUTABLE', 126);
    throw new DsopsError(`could not start ${command}: ${e.code}`, 'E_SPAWN', EXIT.RUNTIME);
  } finally {
    for (const [sig, h] of handlers) process.removeListener(sig, h);
  }
}
