import { describe, expect, it } from 'vitest';
import type { RunFailure } from '../sandbox/index.js';
import { pythonProgram } from './python-program.js';
import { explainUnknownPythonName } from './unknown-python-name.js';

const api = { crm: ['find_contact', 'update_contact'], calendar: ['list_events'] };
const threw = (name: string, message: string, line = 1): RunFailure => ({ code: 'GUEST_THREW', name, message, position: { line, column: 1 } });

describe('explainUnknownPythonName', () => {
  it('suggests the operation for a misspelt one on a known namespace', () => {
    const program = pythonProgram('return await crm.find_contcat({})');
    expect(explainUnknownPythonName(threw('AttributeError', 'crm.find_contcat is not a function'), program, api)).toEqual({
      code: 'OPERATION_UNKNOWN', message: 'crm.find_contcat is not a function; did you mean crm.find_contact?',
    });
  });

  it('suggests the namespace for a misspelt one, using the member read at the failing line', () => {
    const program = pythonProgram('x = 1\nreturn await crmm.find_contact({})');
    const explained = explainUnknownPythonName(threw('NameError', "name 'crmm' is not defined", 2), program, api);
    expect(explained?.message).toBe('crmm is not defined; did you mean crm.find_contact?');
  });

  it('leaves other failures as they are', () => {
    const program = pythonProgram('return reslt');
    expect(explainUnknownPythonName(threw('NameError', "name 'reslt' is not defined"), program, api)).toBeUndefined();
    expect(explainUnknownPythonName(threw('AttributeError', "'dict' object has no attribute 'foo'"), program, api)).toBeUndefined();
    expect(explainUnknownPythonName(threw('AttributeError', 'other.thing is not a function'), program, api)).toBeUndefined();
    expect(explainUnknownPythonName({ ...threw('AttributeError', 'crm.x is not a function'), toolCode: 'TOOL_ERROR' }, program, api)).toBeUndefined();
  });
});
