import { makeScope } from '../config/interpolate';
import { configPath, loadConfig } from '../config/load';
import { cacheDir } from '../cache/cache-dir';
import type { ConfigSource } from '../config/source';
import { Logger, LogLevel } from '../log';

/** Flags every command shares. */
export interface GlobalFlags {
  config?: string;
  verbose?: boolean;
  debug?: boolean;
  quiet?: boolean;
  /** false with --no-cache: neither read nor write the cache dir. */
  cache?: boolean;
}

export function loggerFor(flags: GlobalFlags): Logger {
  const level: LogLevel = flags.debug ? 'debug' : flags.verbose ? 'verbose' : flags.quiet ? 'quiet' : 'normal';
  return new Logger(level);
}

/** Loads the config named by the flags; keeps the source so later errors can be located. */
export class CommandContext {
  readonly log: Logger;
  source?: ConfigSource;
  readonly now = new Date();

  /** `env` is the user's environment as dsops started; the child gets this, not what dsops set on itself. */
  constructor(
    readonly flags: GlobalFlags,
    readonly env: Record<string, string | undefined> = { ...process.env },
  ) {
    this.log = loggerFor(flags);
  }

  load(): ConfigSource {
    const file = configPath(this.flags.config, this.env);
    const started = Date.now();
    // The parsed-config cache lives beside the session cache; --no-cache turns both off.
    const useCache = this.flags.cache !== false;
    this.source = loadConfig(file, { cacheDir: useCache ? cacheDir(this.env) : undefined });
    this.log.verbose(`using config ${file === this.source.file ? file : `${this.source.file} (found at ${file})`}`);
    this.log.debug(`loaded ${this.source.file} in ${Date.now() - started} ms`);
    return this.source;
  }

  scope() {
    return makeScope(this.env, this.now);
  }
}
