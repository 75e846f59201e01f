// Explains a Python program's failure that comes from a name the catalog lacks: the sandbox's
// namespaces raise `AttributeError: crm.find_contcat is not a function` (sandbox/python-prelude.ts)
// and Python raises `NameError: name 'crmm' is not defined`. The wording and the suggestions come
// from catalog/name-suggestions.ts, as for JavaScript (unknown-call.ts). Pure; imported by failure-text.ts.
import { describeUnknownName, describeUnknownOperation, type ApiNames } from '../catalog/index.js';
import type { RunFailure } from '../sandbox/index.js';
import type { SourceProgram } from './python-program.js';
import type { UnknownCall } from './unknown-call.js';

const NOT_A_FUNCTION = /^([A-Za-z_]\w*)\.([A-Za-z_]\w*) is not a function$/;
const NOT_DEFINED = /^name '([A-Za-z_]\w*)' is not defined/;

/** Names longer than this are the program's own data, not a misspelling: left as they are. */
const MAX_NAME_CHARS = 100;

/** For a Python failure caused by an unknown operation or namespace, the message to show instead; undefined otherwise. */
export function explainUnknownPythonName(failure: RunFailure, program: SourceProgram, api: ApiNames): UnknownCall | undefined {
  if (failure.code !== 'GUEST_THREW' || failure.toolCode !== undefined) return undefined;
  if (failure.name === 'AttributeError') {
    const [, namespace, name] = NOT_A_FUNCTION.exec(failure.message) ?? [];
    if (namespace === undefined || name === undefined || !Object.hasOwn(api, namespace)) return undefined;
    return { code: 'OPERATION_UNKNOWN', message: describeUnknownOperation(api, namespace, name) };
  }
  if (failure.name === 'NameError') {
    const name = NOT_DEFINED.exec(failure.message)?.[1];
    if (name === undefined || name.length > MAX_NAME_CHARS || Object.hasOwn(api, name)) return undefined;
    // The member read on it at the failing line (`crmm.find_contact(...)`) makes a better guess.
    const line = failure.position ? program.sourceLine(failure.position.line) : undefined;
    const member = line === undefined ? undefined : new RegExp(`\\b${name}\\s*\\.\\s*([A-Za-z_]\\w*)`).exec(line)?.[1];
    const message = describeUnknownName(api, name, member);
    return message === undefined ? undefined : { code: 'OPERATION_UNKNOWN', message };
  }
  return undefined;
}
