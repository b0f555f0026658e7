import { prepareAll } from '../prepare';
import { count } from '../plural';
import { CommandContext } from './context';

/** `dsops validate`: every env and every store, no network. */
export function validateCommand(ctx: CommandContext): number {
  const source = ctx.load();
  const envs = prepareAll(source, ctx.scope());
  const stores = Object.keys((source.data as { secretStores?: object }).secretStores ?? {}).length;
  ctx.log.info(`${source.file}: valid (${count(stores, 'store')}, ${count(envs.length, 'env')})`);
  return 0;
}
