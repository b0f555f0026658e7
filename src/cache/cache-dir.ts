import path = require('path');

/** $DSOPS_CACHE_DIR, else $XDG_CACHE_HOME/dsops, else ~/.cache/dsops. */
export function cacheDir(env: Record<string, string | undefined>): string {
  if (env.DSOPS_CACHE_DIR) return path.resolve(env.DSOPS_CACHE_DIR);
  if (env.XDG_CACHE_HOME) return path.join(path.resolve(env.XDG_CACHE_HOME), 'dsops');
  // os.homedir() reads $HOME first anyway; loading os only when HOME is unset saves every run a module load.
  const home = env.HOME || (require('os') as typeof import('os')).homedir();
  return path.join(home, '.cache', 'dsops');
}
