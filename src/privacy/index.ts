// The privacy stage's public surface: PII detectors, per-session tokenization both ways, the one
// secret redactor (every encoding) and the audit log's redactor. Imports only common/; runtime/
// and cli/ import this file.
export { compileDetectors, replacePii, BUILTIN_DETECTORS } from './detectors.js';
export type { BuiltinDetector, CustomPattern, Detector, PiiMatch } from './detectors.js';
export { createPiiVault } from './pii-vault.js';
export type { PiiVault, PiiVaultOptions, PiiVaultState } from './pii-vault.js';
export { createPrivacy } from './pii-session.js';
export type { Privacy, PrivacySettings, PiiSession, PiiRun, PiiCounts, ServerPrivacy } from './pii-session.js';
export { createRedactor } from './redact.js';
export type { Redactor, RedactorOptions } from './redact.js';
export { createSecretRedactor, SECRET_MARK } from './secret-redactor.js';
export type { SecretRedactor } from './secret-redactor.js';
export { basicSecrets, credentialForms, envSecrets, headerSecrets } from './secret-sources.js';
