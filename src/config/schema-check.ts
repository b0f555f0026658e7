import type { ErrorObject } from 'ajv';
// An import, not a require: tsc then copies the file to dist/, where the library (dist/index.js) reads it.
import storeFields = require('../generated/store-fields.json');
import { ConfigIssue } from '../errors';
import { isEnvKey } from './env-keys';
import { quoted } from './quote';
import { didYouMean } from './suggest';

/** Checks data against schemas/dsops.schema.json with the validator precompiled at build time. */
export function checkSchema(data: unknown): ConfigIssue[] {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const validate = require('../generated/config-validator') as ((d: unknown) => boolean) & { errors?: ErrorObject[] | null };
  if (validate(data)) return [];
  return toIssues(validate.errors ?? [], data);
}

/**
 * The fields of each store type, generated at build time from the types' own schemas (src/stores/<type>/
 * schema.json, assembled into schemas/dsops.schema.json), so config/ names no store type itself.
 */
export const STORE_KEYS: Record<string, string[]> = storeFields;
const TOP_KEYS = ['version', 'cache', 'request_timeout', 'secretStores', 'envs'];

function pathOf(instancePath: string): (string | number)[] {
  if (!instancePath) return [];
  return instancePath
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function subject(path: (string | number)[]): string {
  if (path[0] === 'secretStores' && path.length >= 2) return `store ${path[1]}`;
  if (path[0] === 'envs' && path.length >= 3 && isEnvKey(String(path[2]))) return `env ${path[1]}`;
  if (path[0] === 'envs' && path.length >= 3) return `env ${path[1]}, var ${path[2]}`;
  if (path[0] === 'envs' && path.length === 2) return `env ${path[1]}`;
  return 'config';
}

function fieldName(path: (string | number)[]): string {
  if (path[0] === 'secretStores') return path.slice(2).join('.') || '(store)';
  if (path[0] === 'envs' && path.length >= 3 && isEnvKey(String(path[2]))) return path.slice(2).join('.');
  if (path[0] === 'envs') return path.slice(3).join('.') || '(value)';
  return path.join('.') || '(top level)';
}

function getAt(data: unknown, path: (string | number)[]): unknown {
  let cur: unknown = data;
  for (const seg of path) cur = (cur as Record<string | number, unknown> | undefined)?.[seg];
  return cur;
}

function knownKeys(path: (string | number)[], data: unknown): string[] | undefined {
  if (path.length === 0) return TOP_KEYS;
  if (path[0] === 'secretStores' && path.length === 2) {
    const t = (getAt(data, path) as { type?: string } | undefined)?.type;
    return t ? STORE_KEYS[t] : undefined;
  }
  if (path[0] === 'envs' && path.length === 3) return ['from'];
  if (path[0] === 'envs' && path.length === 4) return ['store', 'key', 'version_stage', 'version_id'];
  if (path[1] === 'cache' || path[3] === 'cache') return ['refresh_before'];
  return undefined;
}

// Keywords whose errors only say "one branch of a oneOf/if failed"; the branch's own errors say more.
const NOISE = new Set(['oneOf', 'if', 'discriminator']);
const SHAPE = new Set(['type', 'const', 'enum']);

/** Turns ajv's errors into one readable issue per problem, dropping the noise of failed alternatives. */
function toIssues(errors: ErrorObject[], data: unknown): ConfigIssue[] {
  const byPath = new Map<string, ErrorObject[]>();
  for (const e of errors) {
    const list = byPath.get(e.instancePath) ?? [];
    list.push(e);
    byPath.set(e.instancePath, list);
  }
  const issues: ConfigIssue[] = [];
  for (const [instancePath, list] of byPath) {
    const path = pathOf(instancePath);
    // A deeper error explains a failed alternative better than "must be string" at this level.
    const deeper = [...byPath.keys()].some((p) => p.startsWith(instancePath + '/'));
    const specific = list.filter((e) => !NOISE.has(e.keyword) && !SHAPE.has(e.keyword));
    const shape = list.filter((e) => SHAPE.has(e.keyword));
    const disc = list.find((e) => e.keyword === 'discriminator');
    if (disc) {
      const tag = (disc.params as { tagValue?: unknown }).tagValue;
      const types = Object.keys(STORE_KEYS);
      const guess = typeof tag === 'string' ? didYouMean(tag, types) : undefined;
      issues.push({
        code: 'E_UNKNOWN_STORE_TYPE',
        message: `${subject(path)}: unknown type ${JSON.stringify(tag)}; expected one of ${types.join(', ')}`,
        hint: guess ? `did you mean "${guess}"?` : undefined,
        path: [...path, 'type'],
      });
      continue;
    }
    for (const e of specific) {
      const issue = toIssue(e, path, data);
      if (issue) issues.push(issue);
    }
    if (!specific.length && shape.length && !(deeper && list.some((e) => e.schemaPath.includes('oneOf')))) {
      issues.push(shapeIssue(shape, path));
    }
  }
  return issues;
}

function shapeIssue(shape: ErrorObject[], path: (string | number)[]): ConfigIssue {
  const wants = new Set<string>();
  for (const e of shape) {
    if (e.keyword === 'type') wants.add(String((e.params as { type: string | string[] }).type).replace(/,/g, ' or '));
    if (e.keyword === 'const') wants.add(JSON.stringify((e.params as { allowedValue: unknown }).allowedValue));
    if (e.keyword === 'enum') wants.add(((e.params as { allowedValues: unknown[] }).allowedValues).map((v) => JSON.stringify(v)).join(' or '));
  }
  return {
    code: 'E_SCHEMA_TYPE',
    message: `${subject(path)}: ${fieldName(path)} must be ${[...wants].join(', or ')}`,
    path,
  };
}

function toIssue(e: ErrorObject, path: (string | number)[], data: unknown): ConfigIssue | undefined {
  const sub = subject(path);
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = (e.params as { additionalProperty: string }).additionalProperty;
      const guess = didYouMean(key, knownKeys(path, data) ?? []);
      return {
        code: 'E_UNKNOWN_KEY',
        message: `${sub}: unknown key ${quoted(key)}`,
        hint: guess ? `did you mean "${guess}"?` : undefined,
        path: [...path, key],
        atKey: true,
      };
    }
    case 'required': {
      const key = (e.params as { missingProperty: string }).missingProperty;
      return { code: 'E_MISSING_KEY', message: `${sub}: missing required key "${key}"`, path };
    }
    case 'propertyNames':
    case 'pattern': {
      const name = (e.params as { propertyName?: string }).propertyName;
      // ajv reports a bad property name twice: once as propertyNames, once as the inner pattern.
      if (e.keyword === 'pattern' && (e as { propertyName?: string }).propertyName !== undefined) return undefined;
      if (name !== undefined) {
        return {
          code: 'E_BAD_NAME',
          message: `${sub}: invalid name ${quoted(name)}`,
          hint: path[0] === 'envs' && path.length === 2
            ? 'variable names use letters, digits and _, and do not start with a digit'
            : 'names use letters, digits, _, . and -',
          path: [...path, name],
          atKey: true,
        };
      }
      return { code: 'E_SCHEMA_PATTERN', message: `${sub}: ${fieldName(path)} must match ${(e.params as { pattern: string }).pattern}`, path };
    }
    default:
      return { code: 'E_SCHEMA', message: `${sub}: ${fieldName(path)} ${e.message ?? 'is invalid'}`, path };
  }
}
