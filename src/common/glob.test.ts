import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { globToRegExp } from './glob.js';

describe('globToRegExp', () => {
  it('matches `*` as any run and `?` as one character without a separator', () => {
    const re = globToRegExp('crm.delete_*');
    expect(re.test('crm.delete_contact')).toBe(true);
    expect(re.test('crm.delete_')).toBe(true);
    expect(re.test('crm.Delete_contact')).toBe(false);
    expect(globToRegExp('crm.get_?').test('crm.get_a')).toBe(true);
    expect(globToRegExp('crm.get_?').test('crm.get_ab')).toBe(false);
    expect(globToRegExp('fetch:https://api.example.com/*').test('fetch:https://api.example.com/v1/items?q=1')).toBe(true);
  });

  it('keeps `*` and `?` within one segment when given a separator, and `**` across', () => {
    const one = globToRegExp('/zones/*/dns_records', { separator: '/' });
    expect(one.test('/zones/{zone_id}/dns_records')).toBe(true);
    expect(one.test('/zones/a/b/dns_records')).toBe(false);
    expect(globToRegExp('/zones/**', { separator: '/' }).test('/zones/a/b/dns_records')).toBe(true);
    expect(globToRegExp('/a?c', { separator: '/' }).test('/a/c')).toBe(false);
  });

  it('matches any case only when asked', () => {
    expect(globToRegExp('crm.delete_*', { ignoreCase: true }).test('CRM.Delete_Everything')).toBe(true);
    expect(globToRegExp('crm.delete_*').test('CRM.Delete_Everything')).toBe(false);
  });

  it('takes every other character literally, regex syntax included', () => {
    fc.assert(fc.property(fc.string({ maxLength: 30 }).filter((s) => !/[*?]/.test(s)), fc.string({ maxLength: 30 }), (literal, other) => {
      const re = globToRegExp(literal);
      expect(re.test(literal)).toBe(true);
      if (other !== literal) expect(re.test(other)).toBe(false);
    }));
    expect(globToRegExp('a.b').test('axb')).toBe(false);
    expect(globToRegExp('(x)|y').test('y')).toBe(false);
  });

  it('matches across line breaks as any other character', () => {
    expect(globToRegExp('a*b').test('a\nb')).toBe(true);
  });
});
