// The STS client as one module: scripts/build.js bundles this file (the SDK and its @smithy parts) into a
// single chunk, loaded only when a run calls STS.
export * from '@aws-sdk/client-sts';
