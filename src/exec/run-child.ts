import { constants as osConstants } from 'os';
import { DsopsError, EXIT } from '../errors';

export const FORWARDED_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2'];

/**
 * Runs the command with inherited stdio, forwards signals to it, and resolves with the exit code
 * dsops should exit with: the child's own, or 128+N when a signal killed it.
 * The command and its args go on argv; values only ever go in the environment.
 */
export async function runChild(command: string, args: string[], env: Record<string, string>): Promise<number> {
  // cross-spawn resolves PATHEXT/shebangs on Windows; loaded here so other commands never pay for it.
  const spawn = (await import('cross-spawn')).default;
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'inherit', env });
    const forward = (sig: NodeJS.Signals) => () => {
      // The terminal already sent SIGINT to the whole process group; forwarding is for signals sent
      // to dsops alone (kill, CI runners). A second delivery of SIGINT is harmless to most programs,
      // but skip it when the child is already gone.
      if (child.exitCode === null && child.signalCode === null) child.kill(sig);
    };
    const handlers = FORWARDED_SIGNALS.map((sig) => [sig, forward(sig)] as const);
    for (const [sig, h] of handlers) process.on(sig, h);
    const cleanup = () => {
      for (const [sig, h] of handlers) process.removeListener(sig, h);
    };
    child.on('error', (err: NodeJS.ErrnoException) => {
      cleanup();
      if (err.code === 'ENOENT') {
        reject(new DsopsError(`command not found: ${command}`, 'E_COMMAND_NOT_FOUND', EXIT.NOT_FOUND, 'check the command is installed and on PATH'));
      } else if (err.code === 'EACCES') {
        reject(new DsopsError(`command not executable: ${command}`, 'E_COMMAND_NOT_EXECUTABLE', 126));
      } else reject(err);
    });
    child.on('exit', (code, signal) => {
      cleanup();
      if (signal) resolve(128 + ((osConstants.signals as Record<string, number>)[signal] ?? 0));
      else resolve(code ?? 0);
    });
  });
}
