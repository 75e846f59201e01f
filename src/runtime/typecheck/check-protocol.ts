// Messages between the gateway and the type-checker worker thread, and the record both sides keep
// of what the worker holds. A catalog goes as one block per namespace, each named by a key that
// changes when its operations do; a block the worker holds is sent by key alone. Messages arrive
// in order and both sides apply the same rule (HeldCatalogs), so they always agree.
import type { Operation } from '../../catalog/index.js';
import type { CheckInput, CheckReport } from './type-check.js';

/** Catalog versions the worker keeps (a run may still hold the previous one). */
export const CATALOGS_KEPT = 2;

export interface NamespaceBlock {
  readonly namespace: string;
  readonly key: string;
  /** Absent when the worker holds this key already. */
  readonly operations?: readonly Operation[];
}

export type HostToChecker =
  | { readonly kind: 'catalog'; readonly version: number; readonly blocks: readonly NamespaceBlock[] }
  | { readonly kind: 'check'; readonly id: number; readonly version: number; readonly input: CheckInput };

export type CheckerToHost =
  /** The declarations of `version` are parsed: a check now costs only the program. */
  | { readonly kind: 'warm'; readonly version: number; readonly ms: number }
  | { readonly kind: 'checked'; readonly id: number; readonly version: number; readonly report: CheckReport; readonly ms: number }
  | { readonly kind: 'failed'; readonly id?: number; readonly message: string };

/** The worker's catalog versions (the last CATALOGS_KEPT) and the namespace keys they use. */
export class HeldCatalogs {
  private versions: { readonly version: number; readonly keys: readonly string[] }[] = [];

  /** Records `version`; returns the keys no kept version uses any more. */
  add(version: number, keys: readonly string[]): string[] {
    const before = this.keys();
    this.versions = [...this.versions.filter((v) => v.version !== version), { version, keys }].slice(-CATALOGS_KEPT);
    const now = this.keys();
    return [...before].filter((k) => !now.has(k));
  }

  has(version: number): boolean {
    return this.versions.some((v) => v.version === version);
  }

  keysOf(version: number): readonly string[] | undefined {
    return this.versions.find((v) => v.version === version)?.keys;
  }

  holdsKey(key: string): boolean {
    return this.versions.some((v) => v.keys.includes(key));
  }

  private keys(): Set<string> {
    return new Set(this.versions.flatMap((v) => v.keys));
  }
}
