// The SSM client as one module: scripts/build.js bundles this file into a single chunk, loaded only when a
// run reads a parameter.
export * from '@aws-sdk/client-ssm';
