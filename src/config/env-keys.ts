/**
 * Env-level keys: an env's mapping holds its variables, so these few lowercase names are reserved and
 * cannot be variables. Lowercase because variables are almost always uppercase (`http_proxy` is the
 * common exception, and clashes with none of them); documented in the README and the schema.
 */
export const ENV_KEYS = new Set(['extends']);

export const isEnvKey = (name: string): boolean => ENV_KEYS.has(name);
