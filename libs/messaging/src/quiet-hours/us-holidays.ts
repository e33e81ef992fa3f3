import { DateTime } from 'luxon';

function nthWeekday(year: number, month: number, weekday: number, n: number): string {
  let day = DateTime.fromObject({ year, month, day: 1 });
  while (day.weekday !== weekday) day = day.plus({ days: 1 });
  return day.plus({ weeks: n - 1 }).toISODate()!;
}

function lastWeekday(year: number, month: number, weekday: number): string {
  let day = DateTime.fromObject({ year, month }).endOf('month').startOf('day');
  while (day.weekday !== weekday) day = day.minus({ days: 1 });
  return day.toISODate()!;
}

const cache = new Map<number, Set<string>>();

/** US federal holidays of a year as ISO dates (the days themselves, not the observed Fridays/Mondays). */
export function usFederalHolidays(year: number): Set<string> {
  const hit = cache.get(year);
  if (hit) return hit;
  const iso = (month: number, day: number) => DateTime.fromObject({ year, month, day }).toISODate()!;
  const days = new Set([
    iso(1, 1),
    nthWeekday(year, 1, 1, 3), // Martin Luther King Jr. Day
    nthWeekday(year, 2, 1, 3), // Washington's Birthday
    lastWeekday(year, 5, 1), // Memorial Day
    iso(6, 19),
    iso(7, 4),
    nthWeekday(year, 9, 1, 1), // Labor Day
    nthWeekday(year, 10, 1, 2), // Columbus Day
    iso(11, 11),
    nthWeekday(year, 11, 4, 4), // Thanksgiving
    iso(12, 25),
  ]);
  cache.set(year, days);
  return days;
}
