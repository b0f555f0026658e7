import type { StoreContext } from '../config/store-context';
import type { StoreSpec } from '../config/types';
import { prepareSts, checkStsKey } from './aws-sts/spec';
import { prepareSecretsManager, parseSecretKey } from './aws-secretsmanager/spec';

/** What dsops knows about a store type. Runtime code (which loads the AWS SDK) is imported lazily elsewhere. */
export interface StoreType {
  prepare(ctx: StoreContext): StoreSpec | undefined;
  /** Whether other stores may take credentials from it via credentials_from. */
  providesCredentials: boolean;
  /** Checks an env's `key` for this store. */
  checkKey(key: string): { problem?: string; hint?: string };
}

/** The one place the `type` string is switched on. */
export const STORE_TYPES: Record<string, StoreType> = {
  'aws.sts': { prepare: prepareSts, providesCredentials: true, checkKey: checkStsKey },
  'aws.secretsmanager': {
    prepare: prepareSecretsManager,
    providesCredentials: false,
    checkKey: (key) => {
      const r = parseSecretKey(key);
      return { problem: r.problem };
    },
  },
};
