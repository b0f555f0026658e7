/** os is loaded only on the rare paths (a signal, a failed start): a warm run saves its module load. */
export const osConstants = (): typeof import('os').constants => (require('os') as typeof import('os')).constants;

export interface ChildExit {
  /** Exactly one of code and signal is set. */
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A started child: signal it, and learn how it ended. */
export interface SpawnedChild {
  /** Sends a signal; a child that is already gone is ignored. */
  kill(signal: NodeJS.Signals): void;
  /** Resolves when the child ends; rejects with SpawnError when it could not be started. */
  exited: Promise<ChildExit>;
}

/** Why a command could not be started, with the errno name (ENOENT, EACCES, ...). */
export class SpawnError extends Error {
  constructor(
    readonly code: string,
    command: string,
  ) {
    super(`spawn ${command} ${code}`);
  }
}

/** The seam: how a child is started. Tests may pass their own. */
export type Spawner = (command: string, args: string[], env: Record<string, string>) => SpawnedChild;

/**
 * Starts `command` with inherited stdio and exactly `env`, through cross-spawn (child_process, plus PATHEXT
 * and shebang handling on Windows). A command that cannot be started rejects `exited` with a SpawnError.
 * Values must not hold NUL bytes (runChild checks).
 */
export const spawnChild: Spawner = (command, args, env) => {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const spawn = require('cross-spawn') as typeof import('cross-spawn');
  const child = spawn(command, args, { stdio: 'inherit', env });
  const exited = new Promise<ChildExit>((resolve, reject) => {
    // A failed start arrives as 'error' (and no 'exit').
    child.on('error', (e: NodeJS.ErrnoException) => reject(new SpawnError(e.code ?? e.message, command)));
    child.on('exit', (code, signal) => resolve(signal ? { code: null, signal } : { code, signal: null }));
  });
  return {
    kill(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
    exited,
  };
};
