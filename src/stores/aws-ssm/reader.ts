import { clientConfig, watchAttempts, withDeadline } from '../../aws/client-config';
import { describeCallFailure, hintFor } from '../../aws/errors';
import { ResolveError } from '../../errors';
import type { ReaderDeps } from '../../store-type';
import { ParameterRef, refText } from './key';


/** GetParameters takes at most 10 names a call. */
export const GET_PARAMETERS_MAX = 10;

/**
 * Splits refs into GetParameters calls: at most 10 a call, and never two refs to the same parameter in
 * one call. A response names a parameter without its selector (moto omits `Selector` too), so two
 * versions of one name in one call could not be told apart reliably.
 */
export function batches(refs: ParameterRef[]): ParameterRef[][] {
  const out: { refs: ParameterRef[]; names: Set<string> }[] = [];
  for (const ref of refs) {
    let b = out.find((x) => x.refs.length < GET_PARAMETERS_MAX && !x.names.has(ref.name));
    if (!b) out.push((b = { refs: [], names: new Set() }));
    b.refs.push(ref);
    b.names.add(ref.name);
  }
  return out.map((b) => b.refs);
}

interface Parameter {
  Name?: string;
  ARN?: string;
  Selector?: string;
  Version?: number;
  Value?: string;
}

/** Reads every distinct parameter with GetParameters (decrypting SecureStrings), keyed by `refText`. */
export async function readParameters(store: string, refs: ParameterRef[], deps: ReaderDeps): Promise<Map<string, string>> {
  const unique = new Map<string, ParameterRef>();
  for (const r of refs) unique.set(refText(r), r);
  const credentials = await deps.credentials();
  const ssm = await (await import('../../aws/sdk')).loadSsm();
  const client = new ssm.SSMClient(clientConfig({ region: deps.region, credentials, endpoint: deps.endpoint, timeoutMs: deps.timeoutMs }));
  const attempts = watchAttempts(client);
  const via = deps.hop.length > 1 ? ` (via ${deps.hop.slice(0, -1).join(' → ')})` : '';
  const out = new Map<string, string>();
  try {
    await Promise.all(
      batches([...unique.values()]).map(async (chunk) => {
        const started = Date.now();
        let res;
        try {
          const command = new ssm.GetParametersCommand({ Names: chunk.map(refText), WithDecryption: true });
          res = await withDeadline(deps.timeoutMs, (abortSignal) => client.send(command, { abortSignal }));
        } catch (e) {
          const { code, detail } = describeCallFailure(e, attempts, deps.endpoint ?? `SSM in ${deps.region}`, deps.timeoutMs);
          throw new ResolveError(
            `store ${store}${via}: GetParameters for ${chunk.map(refText).join(', ')} failed: ${code}: ${detail}`,
            'E_PARAMETER',
            store,
            hintFor(code),
            code,
          );
        }
        deps.log.verbose(`store ${store}: GetParameters ${chunk.length} parameter${chunk.length === 1 ? '' : 's'} in ${Date.now() - started} ms`);
        const invalid = new Set(res.InvalidParameters ?? []);
        for (const ref of chunk) {
          const p = invalid.has(refText(ref)) ? undefined : match(ref, res.Parameters ?? []);
          if (!p || p.Value === undefined) {
            throw new ResolveError(
              `store ${store}${via}: parameter ${refText(ref)} not found`,
              'E_PARAMETER_NOT_FOUND',
              store,
              `check the name${ref.selector ? ' and the version or label' : ''}, the region (${deps.region}) and that the credentials are for the account holding it`,
              'ParameterNotFound',
            );
          }
          out.set(refText(ref), p.Value);
        }
      }),
    );
    return out;
  } finally {
    client.destroy();
  }
}

/** The response entry for a ref; a call holds one ref per parameter (see batches), so the name decides. */
function match(ref: ParameterRef, params: Parameter[]): Parameter | undefined {
  const same = params.filter((p) => p.Name === ref.name || p.ARN === ref.name);
  if (ref.version !== undefined) return same.find((p) => p.Version === ref.version);
  return same.find((p) => p.Selector === ref.selector) ?? same[0];
}
