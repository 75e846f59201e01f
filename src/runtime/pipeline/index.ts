export { buildCallPipeline } from './build.js';
export type { CallLimits, PipelineParts } from './build.js';
export { composeSteps, failure, runEnded } from './call-step.js';
export type { CallStep, NextStep, PendingCall } from './call-step.js';
export { createAdmission } from './admit-by-policy.js';
export type { Admission, AdmissionOptions, Confirm, ConfirmRequest } from './admit-by-policy.js';
