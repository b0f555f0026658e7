// The SDK's shared-config loader (region from ~/.aws/config): bundled into a single chunk by scripts/build.js.
export * from '@smithy/core/config';
