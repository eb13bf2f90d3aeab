/**
 * Dates as people read them, in their own time zone (IANA names such as
 * `Europe/Berlin`; `UTC` when none is known). Pure: the instant and the zone
 * come in; nothing reads the clock or the machine's zone.
 */
export const DEFAULT_ZONE = 'UTC';

/** Whether the runtime knows this IANA time zone. */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const partsFormat = new Map<string, Intl.DateTimeFormat>();
function partsIn(zone: string): Intl.DateTimeFormat {
  let f = partsFormat.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      weekday: 'short',
    });
    partsFormat.set(zone, f);
  }
  return f;
}

/** The wall clock in `zone` at an instant. */
export type Wall = {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  weekday: number;
};

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

export function wallClock(at: Date, zone: string): Wall {
  const p = Object.fromEntries(
    partsIn(zone)
      .formatToParts(at)
      .map((x) => [x.type, x.value]),
  );
  return {
    year: Number(p.year),
    month: Number(p.month),
    day: Number(p.day),
    hour: Number(p.hour),
    minute: Number(p.minute),
    second: Number(p.second),
    weekday: WEEKDAYS.indexOf(String(p.weekday)),
  };
}

/** How far `zone`'s wall clock is ahead of UTC at an instant, in milliseconds. */
function offsetAt(at: Date, zone: string): number {
  const w = wallClock(at, zone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(at.getTime() / 1000) * 1000;
}

/** The instant at which `zone`'s wall clock shows this date and time (the later one when a clock change repeats it). */
export function fromWallClock(w: Omit<Wall, 'weekday'>, zone: string): Date {
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  const first = asUtc - offsetAt(new Date(asUtc), zone);
  return new Date(asUtc - offsetAt(new Date(first), zone));
}

/** `YYYY-MM-DD`: the day it is in `zone` at an instant. */
export function localDay(at: Date, zone: string): string {
  const w = wallClock(at, zone);
  return `${w.year}-${String(w.month).padStart(2, '0')}-${String(w.day).padStart(2, '0')}`;
}

/** Monday to Friday where the reader is. */
export const isWorkingDay = (at: Date, zone: string): boolean => {
  const d = wallClock(at, zone).weekday;
  return d >= 1 && d <= 5;
};

/** `n` working days (Monday to Friday in `zone`) after `from`, at the same time of day on that zone's clock. */
export function addWorkingDays(from: Date, n: number, zone: string): Date {
  const start = wallClock(from, zone);
  // Walk calendar days on a zone-free date, so clock changes do not move the day.
  const d = new Date(Date.UTC(start.year, start.month - 1, start.day));
  let left = n;
  while (left > 0) {
    d.setUTCDate(d.getUTCDate() + 1);
    if (d.getUTCDay() >= 1 && d.getUTCDay() <= 5) left -= 1;
  }
  const { hour, minute, second } = start;
  return fromWallClock(
    { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour, minute, second },
    zone,
  );
}

/** The end of a day (23:59) in `zone`; undefined when `day` is not a real `YYYY-MM-DD` date. */
export function endOfDay(day: string, zone: string): Date | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return undefined;
  const [year, month, date] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const check = new Date(Date.UTC(year, month - 1, date));
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== date) return undefined;
  return fromWallClock({ year, month, day: date, hour: 23, minute: 59, second: 0 }, zone);
}

/** "Tue 24 Nov 2026, 10:00 CET": a date and time in `zone`, with the zone named. */
export function formatWhen(iso: string, zone: string): string {
  const at = new Date(iso);
  const text = new Intl.DateTimeFormat('en-GB', {
    timeZone: zone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'short',
  }).format(at);
  // en-GB writes "Tue 24 Nov 2026, 10:00 CET"; keep it as is.
  return text;
}
