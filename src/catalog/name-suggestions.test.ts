import { describe, expect, it } from 'vitest';
import {
  describeUnknownName, describeUnknownOperation, nameSimilarity, searchCall, suggestNamespaces, suggestOperations,
} from './name-suggestions.js';

const api = {
  crm: ['find_contact', 'list_contacts', 'create_contact', 'list_deals', 'get_user'],
  mail: ['send_email', 'list_messages'],
  google_drive: ['search_files', 'get_file'],
  everything: ['get_sum', 'echo'],
};

describe('suggestOperations', () => {
  it('finds a transposed letter in the same namespace first', () => {
    expect(suggestOperations(api, 'crm', 'find_contcat')[0]).toBe('crm.find_contact');
  });

  it('ignores case and separators', () => {
    expect(suggestOperations(api, 'crm', 'findContact')[0]).toBe('crm.find_contact');
    expect(suggestOperations(api, 'crm', 'FIND-CONTACT')[0]).toBe('crm.find_contact');
  });

  it('suggests the same name in another namespace', () => {
    expect(suggestOperations(api, 'crm', 'send_email')).toEqual(['mail.send_email']);
  });

  it('suggests by shared words, not only by spelling', () => {
    const near = suggestOperations(api, 'crm', 'search_contacts');
    expect(near).toContain('crm.list_contacts');
    expect(near.length).toBeLessThanOrEqual(3);
  });

  it('never suggests more than the maximum', () => {
    expect(suggestOperations(api, 'crm', 'contact').length).toBe(3);
    expect(suggestOperations(api, 'crm', 'contact', 1).length).toBe(1);
  });

  it('suggests by a verb when the verb is all that was written', () => {
    expect(suggestOperations(api, 'google_drive', 'search')).toEqual(['google_drive.search_files']);
  });

  it('does not treat a shared common verb as likeness', () => {
    expect(suggestOperations(api, 'crm', 'get_invoice')).toEqual([]);
    expect(nameSimilarity('get_invoice', 'get_user')).toBe(0);
  });

  it('suggests nothing for an unrelated name', () => {
    expect(suggestOperations(api, 'crm', 'rotate_keys')).toEqual([]);
    expect(suggestOperations({}, 'crm', 'find_contact')).toEqual([]);
  });
});

describe('suggestNamespaces', () => {
  it('finds a misspelled or differently separated namespace', () => {
    expect(suggestNamespaces(api, 'crmm')).toEqual(['crm']);
    expect(suggestNamespaces(api, 'googleDrive')).toEqual(['google_drive']);
    expect(suggestNamespaces(api, 'google-drive')).toEqual(['google_drive']);
    expect(suggestNamespaces(api, 'salesforce')).toEqual([]);
  });
});

describe('describeUnknownOperation', () => {
  it('names the call and the nearest operation', () => {
    expect(describeUnknownOperation(api, 'crm', 'find_contcat')).toBe('crm.find_contcat is not a function; did you mean crm.find_contact?');
  });

  it('lists up to three with "or"', () => {
    expect(describeUnknownOperation(api, 'crm', 'contact')).toMatch(/^crm\.contact is not a function; did you mean crm\.\w+, crm\.\w+ or crm\.\w+\?$/);
  });

  it('says how to search when nothing is close', () => {
    expect(describeUnknownOperation(api, 'crm', 'rotateApiKeys')).toBe(
      'crm.rotateApiKeys is not a function: crm has no operation of that name. Find it with the search tool: search({ query: "rotate api keys" })',
    );
  });
});

describe('describeUnknownName', () => {
  it('suggests the call under the nearest namespace', () => {
    expect(describeUnknownName(api, 'crmm', 'find_contact')).toBe('crmm is not defined; did you mean crm.find_contact?');
    expect(describeUnknownName(api, 'crmm', 'find_contcat')).toBe('crmm is not defined; did you mean crm.find_contact?');
  });

  it('suggests the namespace when its member is unknown too', () => {
    expect(describeUnknownName(api, 'crmm', 'rotate_keys')).toBe('crmm is not defined; did you mean the namespace crm?');
  });

  it('suggests the operation under another namespace', () => {
    expect(describeUnknownName(api, 'email', 'send_email')).toBe('email is not defined; did you mean mail.send_email?');
    expect(describeUnknownName(api, 'messaging', 'send_email')).toBe('messaging is not defined: there is no namespace messaging; did you mean mail.send_email?');
  });

  it('lists the namespaces and the search call when nothing is close', () => {
    expect(describeUnknownName(api, 'salesforce', 'query')).toBe(
      'salesforce is not defined: there is no namespace salesforce; the namespaces are crm, everything, google_drive, mail. '
      + 'Find the operation with the search tool: search({ query: "salesforce query" })',
    );
  });

  it('suggests the namespace for a function called without it', () => {
    expect(describeUnknownName(api, 'find_contact')).toBe('find_contact is not defined; did you mean crm.find_contact?');
  });

  it('leaves a plain undefined variable alone', () => {
    expect(describeUnknownName(api, 'totl')).toBeUndefined();
  });
});

describe('searchCall', () => {
  it('turns a name into the words of a query', () => {
    expect(searchCall('findContact')).toBe('search({ query: "find contact" })');
    expect(searchCall('list_open-issues')).toBe('search({ query: "list open issues" })');
  });
});
