import { describe, expect, it } from 'vitest';
import { count, pick } from '../../src/domain/plural.js';

describe('plurals through Intl.PluralRules', () => {
  it('says one thing for 1 and the plural for 0 and many, with irregular plurals given', () => {
    expect([0, 1, 2, 11].map((n) => count(n, 'record'))).toEqual(['0 records', '1 record', '2 records', '11 records']);
    expect(count(1, 'reply', 'replies')).toBe('1 reply');
    expect(count(3, 'reply', 'replies')).toBe('3 replies');
    expect([1, 2].map((n) => pick(n, 'was', 'were'))).toEqual(['was', 'were']);
  });
});
