/**
 * withMfaRetry against STS's real answer to a wrong code, as the SDK parses it: moto accepts any code, so
 * bench/latency-proxy.js answers the first GetSessionToken the way AWS does (403 AccessDenied,
 * "MultiFactorAuthentication failed ..."), and the retried call reaches moto.
 */
import { GetSessionTokenCommand, STSClient } from '@aws-sdk/client-sts';
import { LatencyProxy, startLatencyProxy } from '../../bench/latency-proxy';
import { clientConfig } from '../../src/aws/client-config';
import { mfaCodes, withMfaRetry } from '../../src/resolve/mfa';
import { awsEnv, callsOf, describeMoto, motoUrl, resetMoto } from '../helpers/moto';

const DEVICE = 'arn:aws:iam::123456789012:mfa/alice';

describeMoto('withMfaRetry with STS answering like AWS (latency-proxy, moto)', () => {
  let proxy: LatencyProxy;
  beforeAll(async () => {
    proxy = await startLatencyProxy({ target: motoUrl!, delayMs: 0, slowMs: 0 });
  });
  afterAll(() => proxy.close());
  beforeEach(resetMoto);

  it('a rejected typed code is asked for again and the second code is sent', async () => {
    proxy.addFault({ kind: 'deny', action: 'GetSessionToken', status: 403, message: 'MultiFactorAuthentication failed with invalid MFA one time pass code. ' });
    const env = awsEnv();
    const sts = new STSClient(
      clientConfig({
        region: 'us-east-1',
        credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY },
        endpoint: proxy.url,
        timeoutMs: 10_000,
      }),
    );
    const answers = ['111111', '222222'];
    const asked: string[] = [];
    const codes = mfaCodes({ interactive: true, prompt: async (m) => (asked.push(m), answers.shift()!) });
    try {
      const out = await withMfaRetry(codes, { store: 'mfa', serialNumber: DEVICE }, (code) =>
        sts.send(new GetSessionTokenCommand({ SerialNumber: DEVICE, TokenCode: code, DurationSeconds: 900 })),
      );
      expect(out.Credentials?.AccessKeyId).toBeTruthy();
    } finally {
      sts.destroy();
    }
    expect(asked).toHaveLength(2);
    expect(asked[1]).toContain('codes are single-use');
    const reached = await callsOf('GetSessionToken');
    expect(reached.map((c) => c.params.get('TokenCode'))).toEqual(['222222']);
  });
});
