import fs = require('fs');
import { cacheDir } from '../cache/cache-dir';
import { compileCacheDir } from '../compile-cache';
import { parsedFiles } from '../config/parsed-cache';
import { listEntries } from '../cache/session-file';
import { formatSeconds } from '../config/duration';
import { CommandContext } from './context';

/** `dsops cache list`: store, role, operation, expiry, file. Never a credential. */
export function cacheListCommand(ctx: CommandContext, args: { json?: boolean }): number {
  const dir = cacheDir(ctx.env);
  const now = Date.now();
  const rows = listEntries(dir).map(({ file, result }) => {
    if (result.kind !== 'hit') {
      const reason = 'reason' in result ? result.reason : 'unknown';
      return { file, store: '?', role: '', operation: '', region: '', expiration: null, expires_in: `unusable: ${reason}` };
    }
    const e = result.entry;
    const left = Math.floor((Date.parse(e.expiration) - now) / 1000);
    return { file, store: e.store, role: e.roleArn ?? '', operation: e.operation, region: e.region, expiration: e.expiration, expires_in: formatSeconds(left) };
  });
  if (args.json) {
    process.stdout.write(JSON.stringify({ dir, sessions: rows }, null, 2) + '\n');
    return 0;
  }
  if (!rows.length) {
    ctx.log.info(`no cached sessions in ${dir}`);
    return 0;
  }
  const header = ['STORE', 'ROLE', 'OPERATION', 'EXPIRES IN', 'FILE'];
  const table = [header, ...rows.map((r) => [r.store, r.role || '-', r.operation || '-', r.expires_in, r.file])];
  const widths = header.map((_, i) => Math.max(...table.map((row) => row[i].length)));
  process.stdout.write(table.map((row) => row.map((c, i) => (i === row.length - 1 ? c : c.padEnd(widths[i]))).join('  ')).join('\n') + '\n');
  return 0;
}

/** `dsops cache clear [STORE...]`: removes cached sessions, all or those of the named stores. */
export function cacheClearCommand(ctx: CommandContext, args: { stores: string[] }): number {
  const dir = cacheDir(ctx.env);
  let removed = 0;
  for (const { file, result } of listEntries(dir)) {
    const store = result.kind === 'hit' ? result.entry.store : undefined;
    if (args.stores.length && (!store || !args.stores.includes(store))) continue;
    fs.rmSync(file, { force: true });
    removed++;
  }
  // A full clear also drops parsed configs and compiled code: they hold no secrets, but "clear" should
  // leave nothing behind.
  if (!args.stores.length) {
    for (const f of parsedFiles(dir)) fs.rmSync(f, { force: true });
    fs.rmSync(compileCacheDir(dir), { recursive: true, force: true });
  }
  ctx.log.info(`removed ${removed} cached session${removed === 1 ? '' : 's'} from ${dir}`);
  return 0;
}
