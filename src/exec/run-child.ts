import { DsopsError, EXIT } from '../errors';
import { osConstants, SpawnError, spawnChild, Spawner } from './spawn-child';

export const FORWARDED_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2'];

/** The signals a terminal sends from the keyboard (Ctrl-C, Ctrl-\). */
const KEYBOARD_SIGNALS = new Set<NodeJS.Signals>(['SIGINT', 'SIGQUIT']);

/**
 * Whether dsops is in the foreground process group of its controlling terminal, where a keyboard signal
 * reaches the child too (it shares dsops's group). Asked only when a signal arrives. Read from
 * /proc/self/stat (tpgid = pgrp, with a terminal); where that is unavailable the answer is no, and
 * keyboard signals are forwarded like the rest, as before.
 */
export function inTerminalForeground(): boolean {
  return foregroundFromStat(readProcStat());
}

/** The test of inTerminalForeground, on the text of a /proc/<pid>/stat (undefined: none to read). */
export function foregroundFromStat(stat: string | undefined): boolean {
  if (!stat) return false;
  // pid (comm) state ppid pgrp session tty_nr tpgid ...: comm may hold spaces or parentheses.
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const [pgrp, ttyNr, tpgid] = [Number(f[2]), Number(f[4]), Number(f[5])];
  return ttyNr !== 0 && tpgid > 0 && tpgid === pgrp;
}

function readProcStat(): string | undefined {
  try {
    return (require('fs') as typeof import('fs')).readFileSync('/proc/self/stat', 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * Runs the command with inherited stdio, forwards signals to it, and resolves with the exit code
 * dsops should exit with: the child's own, or 128+N when a signal killed it.
 * The command and its args go on argv; values only ever go in the environment.
 */
export async function runChild(command: string, args: string[], env: Record<string, string>, spawn: Spawner = spawnChild): Promise<number> {
  for (const [k, v] of Object.entries(env)) {
    // The OS ends a variable at the first NUL, so the child would get a value cut short. (Named, never shown.)
    if (k.includes('\0') || v.includes('\0')) {
      throw new DsopsError(`${k.replace(/\0/g, '\\0')}: the value contains a NUL byte, which no command can be given`, 'E_NUL_IN_VALUE', EXIT.RUNTIME);
    }
  }
  const child = spawn(command, args, env);
  // Forwarding is for signals sent to dsops alone (kill, CI runners, a closed terminal). Ctrl-C and
  // Ctrl-\ typed at a terminal already reach the whole foreground process group, the child included:
  // sending them again would be a second Ctrl-C, which terraform, for one, takes as "abort now, skip
  // the cleanup". Nothing is sent once the child is gone.
  const handlers = FORWARDED_SIGNALS.map(
    (sig) => [sig, () => (KEYBOARD_SIGNALS.has(sig) && inTerminalForeground() ? undefined : child.kill(sig))] as const,
  );
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
