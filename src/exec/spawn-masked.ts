/**
 * `exec --mask`: the child's stdout and stderr come through pipes and a Masker each, and go on to dsops's
 * own stdout and stderr. stdin stays inherited. Used only when masking is on: the default path keeps
 * inherited stdio (spawn-child.ts), so a warm run never loads this.
 */
import { Transform, TransformCallback } from 'stream';
import { Masker } from './mask';
import { ChildExit, SpawnError, Spawner } from './spawn-child';

/**
 * How long held-back bytes (a possible start of a secret at the end of a write) wait for the rest before
 * they are written as they are. Long enough for a child that prints a secret in two writes; short enough
 * that a prompt is not visibly delayed.
 */
export const QUIET_MS = 1000;

export interface Timers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const realTimers: Timers = {
  set: (fn, ms) => setTimeout(fn, ms).unref(),
  clear: (h) => clearTimeout(h as NodeJS.Timeout),
};

/** A Transform that masks `targets`, flushing what it holds back after `quietMs` without input, and at the end. */
export function maskStream(targets: Buffer[], quietMs = QUIET_MS, timers: Timers = realTimers): Transform {
  const masker = new Masker(targets);
  let timer: unknown;
  const stream: Transform = new Transform({
    transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback) {
      if (timer !== undefined) timers.clear(timer);
      timer = undefined;
      const out = masker.push(chunk);
      if (out.length) this.push(out);
      if (masker.pending) {
        timer = timers.set(() => {
          timer = undefined;
          const rest = masker.flush();
          if (rest.length) stream.push(rest);
        }, quietMs);
      }
      done();
    },
    flush(done: TransformCallback) {
      if (timer !== undefined) timers.clear(timer);
      const rest = masker.flush();
      done(null, rest.length ? rest : undefined);
    },
  });
  return stream;
}

/** A Spawner whose child's stdout and stderr are masked on their way to dsops's. */
export function maskedSpawner(targets: Buffer[], out: NodeJS.WritableStream = process.stdout, err: NodeJS.WritableStream = process.stderr): Spawner {
  return (command, args, env) => {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const spawn = require('cross-spawn') as typeof import('cross-spawn');
    const child = spawn(command, args, { stdio: ['inherit', 'pipe', 'pipe'], env });
    const drained = (from: NodeJS.ReadableStream | null, to: NodeJS.WritableStream) =>
      new Promise<void>((resolve) => {
        if (!from) return resolve();
        const masked = maskStream(targets);
        from.pipe(masked);
        masked.on('data', (d: Buffer) => to.write(d));
        masked.on('end', resolve);
        // Our reader went away (`dsops exec --mask -- cmd | head -1`): close the child's pipe too, so the child
        // gets EPIPE/SIGPIPE as it would have without masking, rather than dsops dying on a write error.
        to.once('error', () => {
          (from as NodeJS.ReadableStream & { destroy(): void }).destroy();
          masked.destroy();
          resolve();
        });
        // A read error ends that stream's output, never the run: the exit code is still the child's.
        from.on('error', () => masked.end());
      });
    const streams = Promise.all([drained(child.stdout, out), drained(child.stderr, err)]);
    const exited = new Promise<ChildExit>((resolve, reject) => {
      child.on('error', (e: NodeJS.ErrnoException) => reject(new SpawnError(e.code ?? e.message, command)));
      // 'close' comes after the exit and the end of both pipes, so every byte is written before dsops exits.
      child.on('close', (code, signal) => {
        void streams.then(() => resolve(signal ? { code: null, signal } : { code, signal: null }));
      });
    });
    return {
      kill(signal) {
        if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      },
      exited,
    };
  };
}
