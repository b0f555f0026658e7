// The Secrets Manager client as one module: scripts/build.js bundles this file into a single chunk,
// loaded only when a run reads a secret.
export * from '@aws-sdk/client-secrets-manager';
