/**
 * `dsops credential-process --env NAME | --store NAME`: the session as the JSON an AWS config profile's
 * `credential_process` reads, so every SDK, the AWS CLI and terraform can use a dsops chain. stdout holds
 * that JSON and nothing else; the SDK re-runs the command near expiry, which is a cache hit until the margin.
 */
import { DsopsError, EXIT } from '../errors';
import { prepareEnv, prepareStore } from '../prepare';
import { mfaCodes } from '../resolve/mfa';
import { promptOnTty } from '../resolve/tty-prompt';
import { servedStore } from '../server/served-store';
import { sessionSource } from '../server/session-source';
import { STORE_TYPES } from '../stores/registry';
import { storeType } from '../store-type';
import { CommandContext } from './context';
import { CacheFlags, sessionDecorator } from './session-cache';

export interface CredentialProcessArgs extends CacheFlags {
  env?: string;
  store?: string;
}

export async function credentialProcessCommand(
  ctx: CommandContext,
  args: CredentialProcessArgs,
  stdout: (text: string) => void = (t) => void process.stdout.write(t),
): Promise<number> {
  const envName = args.store === undefined ? (args.env ?? ctx.env.DSOPS_ENV) : undefined;
  if (args.store !== undefined && args.env !== undefined) {
    throw new DsopsError('--env and --store name the session two ways', 'E_USAGE', EXIT.CONFIG, 'give one of them');
  }
  if (args.store === undefined && !envName) {
    throw new DsopsError('missing --env or --store', 'E_USAGE', EXIT.CONFIG, 'try: dsops credential-process --env production (or --store NAME)');
  }
  const source = ctx.load();
  let prepared, store: string;
  if (args.store !== undefined) {
    prepared = prepareStore(source, args.store, ctx.scope());
    store = args.store;
    if (!storeType(STORE_TYPES, prepared.stores.get(store)?.type)?.session) {
      throw new DsopsError(`store ${store}: makes no session (credential-process needs an aws.sts store)`, 'E_NO_SESSION_STORE', EXIT.CONFIG);
    }
  } else {
    prepared = prepareEnv(source, envName!, ctx.scope());
    store = servedStore(prepared, source, 'credential-process');
  }
  // The SDK pipes stdout (and often stdin): a code is asked for on /dev/tty, or the run fails saying how to pass one.
  const mfa = mfaCodes({ interactive: hasTerminal, prompt: promptOnTty });
  const get = sessionSource(prepared, store, { env: ctx.env, log: ctx.log, mfa, decorateSession: sessionDecorator(ctx, args) });
  const c = await get();
  stdout(
    JSON.stringify({
      Version: 1,
      AccessKeyId: c.accessKeyId,
      SecretAccessKey: c.secretAccessKey,
      SessionToken: c.sessionToken,
      Expiration: c.expiration?.toISOString(),
    }) + '\n',
  );
  return EXIT.OK;
}

/** Whether a controlling terminal can be opened to ask for a code (asked only when one is needed). */
function hasTerminal(): boolean {
  const fs = require('fs') as typeof import('fs');
  try {
    fs.closeSync(fs.openSync('/dev/tty', 'r+'));
    return true;
  } catch {
    return false;
  }
}
