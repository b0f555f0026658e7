import fs = require('fs');
import path = require('path');

/**
 * dsops before 0.2 kept parsed configs in the cache dir (`config-<digest>.json`), text included. Nothing
 * reads them any more; `cache clear` still finds them so an upgrade leaves nothing behind.
 */
export function parsedFiles(dir: string): string[] {
  try {
    return fs.readdirSync(dir).filter((n) => /^config-[0-9a-f]+\.json$/.test(n)).map((n) => path.join(dir, n));
  } catch {
    return [];
  }
}
