// The SDK's credential providers (the default chain) as one module: scripts/build.js bundles this file into
// a single chunk, loaded only when a store needs root credentials (not on a run served from cached sessions).
export * from '@aws-sdk/credential-providers';
