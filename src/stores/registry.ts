import type { StoreRegistry } from '../store-type';
import { awsSecretsManager } from './aws-secretsmanager';
import { awsSsm } from './aws-ssm';
import { awsSts } from './aws-sts';

/** Every store type dsops knows: one line each. Adding a type is its folder and one line here. */
export const STORE_TYPES: StoreRegistry = new Map([awsSts, awsSecretsManager, awsSsm].map((t) => [t.type, t]));
