// Keyed JSON records a run may keep beyond itself: the session's (state, handles) and the
// gateway's durable ones (skills, learned shapes). An interface only: session/ implements it over
// the SessionStore, runtime/ hands it to host namespaces, so neither imports the other.

/** What a record holds: plain JSON. */
export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };

export interface Records {
  /** The record, undefined when absent (or its session expired). */
  read(key: string): Promise<JsonValue | undefined>;
  write(key: string, value: JsonValue): Promise<void>;
  /** True when the key was there. */
  remove(key: string): Promise<boolean>;
  /** Keys starting with `prefix` (all when absent), in no particular order. */
  keys(prefix?: string): Promise<string[]>;
  /**
   * Read-modify-write without losing a concurrent writer's change (compare-and-set, retried):
   * `change` gets the current value (undefined when absent) and returns the next one, or
   * undefined to delete the key. `change` may run more than once; answers what was written.
   */
  update(key: string, change: (current: JsonValue | undefined) => JsonValue | undefined): Promise<JsonValue | undefined>;
}

/** The records a run can reach. */
export interface RunRecords {
  /** This client session's records: they expire with the session. Absent for a one-off run. */
  readonly session?: Records;
  /** The gateway's durable records, shared by every session (and every process sharing the store). */
  readonly gateway: Records;
}
