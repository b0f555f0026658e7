import os = require('os');
import path = require('path');

/** $DSOPS_CACHE_DIR, else $XDG_CACHE_HOME/dsops, else ~/.cache/dsops. */
export function cacheDir(env: Record<string, string | undefined>): string {
  if (env.DSOPS_CACHE_DIR) return path.resolve(env.DSOPS_CACHE_DIR);
  if (env.XDG_CACHE_HOME) return path.join(path.resolve(env.XDG_CACHE_HOME), 'dsops');
  return path.join(os.homedir(), '.cache', 'dsops');
}
