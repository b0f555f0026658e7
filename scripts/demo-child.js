// The command the demo runs under dsops: it proves what it received without printing a secret.
'use strict';
const { STSClient, GetCallerIdentityCommand } = require('@aws-sdk/client-sts');

(async () => {
  const sts = new STSClient({ region: process.env.AWS_REGION || 'us-east-1' });
  const me = await sts.send(new GetCallerIdentityCommand({}));
  const pw = process.env.DATABASE_PASSWORD || '';
  console.log(`  child: GetCallerIdentity → ${me.Arn}`);
  console.log(`  child: DATABASE_USER=${process.env.DATABASE_USER}`);
  console.log(`  child: DATABASE_PASSWORD is set (${pw.length} characters; not printed)`);
  console.log(`  child: ambient AWS_DEFAULT_PROFILE ${process.env.AWS_DEFAULT_PROFILE === undefined ? 'removed' : 'still set'}, APP_ENV=${process.env.APP_ENV}`);
})().catch((e) => {
  console.error(`  child: ${e.name}: ${e.message}`);
  process.exit(1);
});
