export { createAuthenticator } from './authenticator.js';
export type { Authenticator, AuthenticatorOptions } from './authenticator.js';
export { hashApiKey } from './api-keys.js';
export { resourceMetadataUrl } from './protected-resource.js';
