import { describe, expect, it } from 'vitest';
import { addWorkingDays, endOfDay, formatWhen, isTimeZone, isWorkingDay, localDay } from '../../src/domain/time.js';

const at = (iso: string) => new Date(iso);

describe('dates in the reader’s time zone', () => {
  it('counts working days on the zone’s own calendar: Friday evening in UTC is already Saturday in Auckland', () => {
    const friday = at('2026-11-27T20:00:00Z');
    expect(isWorkingDay(friday, 'UTC')).toBe(true);
    expect(isWorkingDay(friday, 'Pacific/Auckland')).toBe(false);
    expect(localDay(friday, 'Pacific/Auckland')).toBe('2026-11-28');
    // One working day: Monday 20:00 UTC, or Monday 09:00 in Auckland (Sunday 20:00 UTC).
    expect(addWorkingDays(friday, 1, 'UTC').toISOString()).toBe('2026-11-30T20:00:00.000Z');
    expect(addWorkingDays(friday, 1, 'Pacific/Auckland').toISOString()).toBe('2026-11-29T20:00:00.000Z');
    expect(addWorkingDays(friday, 5, 'UTC').toISOString()).toBe('2026-12-04T20:00:00.000Z');
  });

  it('keeps the time of day on the zone’s clock across a clock change', () => {
    // Friday 11:00 CET; Berlin moves to summer time on Sunday 29 March 2026: Monday 11:00 CEST is 09:00 UTC.
    expect(addWorkingDays(at('2026-03-27T10:00:00Z'), 1, 'Europe/Berlin').toISOString()).toBe(
      '2026-03-30T09:00:00.000Z',
    );
  });

  it('ends a day at 23:59 where the person is, and refuses dates that do not exist', () => {
    expect(endOfDay('2026-11-30', 'Europe/Berlin')?.toISOString()).toBe('2026-11-30T22:59:00.000Z');
    expect(endOfDay('2026-11-30', 'UTC')?.toISOString()).toBe('2026-11-30T23:59:00.000Z');
    expect(endOfDay('2026-02-30', 'UTC')).toBeUndefined();
    expect(endOfDay('30/11/2026', 'UTC')).toBeUndefined();
  });

  it('writes a moment with its zone named, and knows which zones exist', () => {
    expect(formatWhen('2026-11-24T09:00:00Z', 'Europe/Berlin')).toBe('Tue, 24 Nov 2026, 10:00 CET');
    expect(formatWhen('2026-11-24T09:00:00Z', 'UTC')).toBe('Tue, 24 Nov 2026, 09:00 UTC');
    expect(isTimeZone('America/New_York')).toBe(true);
    expect(isTimeZone('Mars/Olympus_Mons')).toBe(false);
  });
});
