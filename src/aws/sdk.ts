/**
 * The one place dsops loads the AWS SDK. Each loader brings in one client or helper, through the SDK's
 * public entry points, only when a run needs it: a warm run served from cached sessions loads neither the
 * STS client nor the credential chain. In the built CLI each of these is one pre-bundled file (see
 * scripts/build.js), so loading a client is one read and one compile (or none, with Node's compile cache)
 * instead of a few hundred module resolutions.
 */
export const loadSts = (): Promise<typeof import('@aws-sdk/client-sts')> => import('./sdk/sts');
export const loadSecretsManager = (): Promise<typeof import('@aws-sdk/client-secrets-manager')> => import('./sdk/secrets-manager');
export const loadSsm = (): Promise<typeof import('@aws-sdk/client-ssm')> => import('./sdk/ssm');
export const loadCredentialProviders = (): Promise<typeof import('@aws-sdk/credential-providers')> => import('./sdk/credential-providers');
export const loadSharedConfig = (): Promise<typeof import('@smithy/core/config')> => import('./sdk/config');
