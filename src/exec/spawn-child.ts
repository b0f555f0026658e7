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

export type SpawnImpl = 'process-wrap' | 'cross-spawn';

/**
 * Starts `command` with inherited stdio and exactly `env`. A command that cannot be started rejects
 * `exited` with a SpawnError. Values must not hold NUL bytes (runChild checks).
 *
 * On POSIX this uses the libuv process handle that child_process itself is built on. Loading the public
 * child_process module pulls in net, dgram and streams (about 5 ms, a sixth of node's own start-up) for
 * features an exec wrapper never uses, and dsops runs in front of every command. The handle takes the same
 * options child_process passes it, so PATH lookup, argv and env behave identically. If the handle is not
 * there or refuses the options (a future Node), or on Windows, where cross-spawn resolves PATHEXT and
 * shebangs, cross-spawn does the job.
 */
export function spawnChild(command: string, args: string[], env: Record<string, string>, impl = defaultImpl()): SpawnedChild {
  if (impl === 'process-wrap') {
    const child = viaProcessWrap(command, args, env);
    if (child) return child;
  }
  return viaCrossSpawn(command, args, env);
}

/** process.binding warns under --pending-deprecation; a warning on every run would be worse than 5 ms. */
export function defaultImpl(): SpawnImpl {
  if (process.platform === 'win32') return 'cross-spawn';
  const pending =
    process.execArgv.includes('--pending-deprecation') ||
    (process.env.NODE_OPTIONS ?? '').includes('--pending-deprecation') ||
    process.env.NODE_PENDING_DEPRECATION === '1';
  return pending ? 'cross-spawn' : 'process-wrap';
}

interface ProcessHandle {
  spawn(options: object): number;
  kill(signal: number): number;
  close(): void;
  onexit: (exitCode: number, signalCode: string) => void;
}

function loadProcessWrap(): (new () => ProcessHandle) | undefined {
  try {
    const binding = (process as unknown as { binding(name: string): { Process?: new () => ProcessHandle } }).binding('process_wrap');
    return typeof binding?.Process === 'function' ? binding.Process : undefined;
  } catch {
    return undefined;
  }
}

const errnoName = (err: number): string =>
  Object.entries(osConstants().errno).find(([, n]) => n === -err)?.[0] ?? `errno ${err}`;

/** undefined: this Node does not offer the handle as child_process uses it; the caller falls back. */
function viaProcessWrap(command: string, args: string[], env: Record<string, string>): SpawnedChild | undefined {
  const Process = loadProcessWrap();
  if (!Process) return undefined;
  const envPairs = Object.entries(env).map(([k, v]) => `${k}=${v}`);
  const handle = new Process();
  let ended = false;
  const exited = new Promise<ChildExit>((resolve) => {
    handle.onexit = (exitCode, signalCode) => {
      ended = true;
      handle.close();
      resolve(signalCode ? { code: null, signal: signalCode as NodeJS.Signals } : { code: exitCode, signal: null });
    };
  });
  let err: number;
  try {
    err = handle.spawn({
      file: command,
      args: [command, ...args],
      envPairs,
      stdio: [0, 1, 2].map((fd) => ({ type: 'inherit', fd })),
      detached: false,
      windowsHide: false,
      windowsVerbatimArguments: false,
    });
  } catch {
    return undefined;
  }
  if (err) {
    handle.close();
    return { kill: () => undefined, exited: Promise.reject(new SpawnError(errnoName(err), command)) };
  }
  return {
    kill(signal) {
      if (!ended) handle.kill(osConstants().signals[signal]);
    },
    exited,
  };
}

function viaCrossSpawn(command: string, args: string[], env: Record<string, string>): SpawnedChild {
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
}
