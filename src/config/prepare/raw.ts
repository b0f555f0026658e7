/** The config's data as the schema guarantees it (where the schema reported a problem, fields may be missing). */
export type RawStore = Record<string, unknown> & { type: string; credentials_from?: string };
export type RawFrom = { store: string; key: string; version_stage?: string; version_id?: string };
export type RawVar = string | number | boolean | { from: RawFrom };
export interface RawConfig {
  version: 1;
  cache?: false | { refresh_before?: string };
  request_timeout?: string;
  secretStores?: Record<string, RawStore>;
  envs?: Record<string, Record<string, RawVar>>;
}

/** Whether the mapping has the key as its own (a store named `constructor` is not Object's). */
export const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);
