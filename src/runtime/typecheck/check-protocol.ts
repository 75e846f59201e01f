// Messages between the gateway and the type-checker worker thread. Messages arrive in order, so a
// catalog is always in the worker before the first check against it; both sides keep the same
// most recent CATALOGS_KEPT versions. Types only (plus that constant); imported by both sides.
import type { Operation } from '../../catalog/index.js';
import type { CheckInput, CheckReport } from './type-check.js';

/** Catalog versions the worker keeps a warm checker for (a run may still hold the previous one). */
export const CATALOGS_KEPT = 2;

export type HostToChecker =
  /** A catalog version: the worker renders its declarations and warms a checker on them. */
  | { readonly kind: 'catalog'; readonly version: number; readonly operations: readonly Operation[] }
  | { readonly kind: 'check'; readonly id: number; readonly version: number; readonly input: CheckInput };

export type CheckerToHost =
  /** The checker of `version` is warm: a check now costs only the program. */
  | { readonly kind: 'warm'; readonly version: number; readonly ms: number }
  | { readonly kind: 'checked'; readonly id: number; readonly report: CheckReport; readonly ms: number }
  | { readonly kind: 'failed'; readonly id?: number; readonly message: string };
