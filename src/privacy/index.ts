// The privacy stage's public surface: PII detectors, per-session tokenization both ways, and the
// redactor the audit log uses. Imports only common/; runtime/ and cli/ import this file.
export { compileDetectors, replacePii, BUILTIN_DETECTORS } from './detectors.js';
export type { BuiltinDetector, CustomPattern, Detector, PiiMatch } from './detectors.js';
export { createPiiVault } from './pii-vault.js';
export type { PiiVault, PiiVaultOptions } from './pii-vault.js';
export { createPrivacy } from './pii-session.js';
export type { Privacy, PrivacySettings, PiiSession, PiiRun, PiiCounts, ServerPrivacy } from './pii-session.js';
export { createRedactor, SECRET_NAME } from './redact.js';
export type { Redactor, RedactorOptions } from './redact.js';
