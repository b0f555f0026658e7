import fs = require('fs');
import { cacheDir } from '../cache/cache-dir';
import { checkCacheDir } from '../cache/dir-trust';
import { compileCacheDir } from '../compile-cache';
import { parsedFiles } from '../config/parsed-cache';
import { listEntries, listTempFiles } from '../cache/session-file';
import { listOwnerFiles, ownerFile } from '../cache/lock-owner';
import { removeCacheEntry } from '../cache/write-private';
import { formatSeconds } from '../config/duration';
import { didYouMean } from '../config/suggest';
import { count } from '../plural';
import { CommandContext } from './context';

/** Says so when exec would refuse the dir: what is listed or cleared there is then never used. */
function warnIfUnsafe(ctx: CommandContext, dir: string): void {
  try {
    const state = checkCacheDir(dir, false, { tighten: false });
    if (state.kind === 'refused') ctx.log.warn(`session cache ${dir} is not safe to use: ${state.reason}; exec runs without it`);
  } catch {
    // not a dir, or unreadable: the listing below says there is nothing
  }
}

/** `dsops cache list`: store, role, operation, expiry, file. Never a credential. */
export function cacheListCommand(ctx: CommandContext, args: { json?: boolean }): number {
  const dir = cacheDir(ctx.env);
  warnIfUnsafe(ctx, dir);
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
  warnIfUnsafe(ctx, dir);
  let removed = 0;
  let failed = 0;
  // Whatever sits at a name goes, a planted directory or FIFO included; a link goes, never its target.
  const remove = (file: string): boolean => {
    try {
      removeCacheEntry(file);
      return true;
    } catch (e) {
      ctx.log.warn(`could not remove ${file} (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
      failed++;
      return false;
    }
  };
  const cached = new Set<string>();
  for (const { file, result } of listEntries(dir)) {
    const store = result.kind === 'hit' ? result.entry.store : undefined;
    if (store) cached.add(store);
    if (args.stores.length && (!store || !args.stores.includes(store))) continue;
    if (remove(file)) removed++;
    // The session's lock-holder record goes with it (a full clear removes them all below); not a session, not counted.
    if (args.stores.length) remove(ownerFile(file));
  }
  const unknown = unknownStores(ctx, args.stores, cached);
  // A full clear also drops parsed configs and compiled code: they hold no secrets, but "clear" should
  // leave nothing behind.
  if (!args.stores.length) {
    // Temp files of writes that were killed between create and rename.
    for (const f of listTempFiles(dir)) remove(f);
    // Lock-holder records of runs killed while holding a lock (see cache/lock-owner.ts).
    for (const f of listOwnerFiles(dir)) remove(f);
    for (const f of parsedFiles(dir)) remove(f);
    // Nothing to clear inside a cache dir that is not a directory (a planted file): exec runs without it.
    if (isDirectory(dir)) remove(compileCacheDir(dir));
  }
  ctx.log.info(`removed ${count(removed, 'cached session')} from ${dir}`);
  return failed || unknown ? 1 : 0;
}

/**
 * Names each requested store that neither has a cached session nor is defined in the config: a typo
 * there used to print "removed 0" and exit 0, leaving the session it meant in place. A store the config
 * defines but that has nothing cached is fine. Returns how many were unknown.
 */
function unknownStores(ctx: CommandContext, requested: string[], cached: Set<string>): number {
  const missing = requested.filter((s) => !cached.has(s));
  if (!missing.length) return 0;
  let defined: string[] = [];
  let file = 'the config';
  try {
    const source = ctx.load();
    file = source.file;
    defined = Object.keys((source.data as { secretStores?: object } | undefined)?.secretStores ?? {});
  } catch {
    // No config, or a broken one: only the cache can vouch for a name.
  }
  let unknown = 0;
  for (const store of missing) {
    if (defined.includes(store)) {
      ctx.log.verbose(`store ${store}: no cached session`);
      continue;
    }
    unknown++;
    const known = [...new Set([...defined, ...cached])].sort();
    const guess = didYouMean(store, known);
    ctx.log.error(
      `cache clear: store "${store}" is not defined in ${file} and has no cached session`,
      `${guess ? `did you mean "${guess}"? ` : ''}${known.length ? `known stores: ${known.join(', ')}` : 'nothing is cached'}`,
    );
  }
  return unknown;
}

function isDirectory(dir: string): boolean {
  try {
    return fs.lstatSync(dir).isDirectory();
  } catch {
    return false;
  }
}
