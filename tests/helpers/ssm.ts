/** Seeds SSM parameters in moto, in a given account (an assumed role's keys map to the account in its ARN). */
import { motoUrl, roleCredentials } from './moto';

export interface ParamSeed {
  name: string;
  value: string;
  type?: 'String' | 'SecureString' | 'StringList';
  /** Labels to attach to the version this put creates. */
  labels?: string[];
}

/** Puts each parameter in order (a repeated name makes a new version) in `account`, us-east-1. */
export async function seedParameters(account: string, params: ParamSeed[]): Promise<void> {
  if (!motoUrl) throw new Error('moto_server is not running');
  const { SSMClient, PutParameterCommand, LabelParameterVersionCommand } = await import('@aws-sdk/client-ssm');
  const ssm = new SSMClient({ region: 'us-east-1', endpoint: motoUrl, credentials: await roleCredentials(account) });
  try {
    for (const p of params) {
      const out = await ssm.send(new PutParameterCommand({ Name: p.name, Value: p.value, Type: p.type ?? 'String', Overwrite: true }));
      if (p.labels?.length) {
        await ssm.send(new LabelParameterVersionCommand({ Name: p.name, ParameterVersion: out.Version, Labels: p.labels }));
      }
    }
  } finally {
    ssm.destroy();
  }
}
