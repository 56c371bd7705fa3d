// Report periods as the usage endpoints read them: whole UTC days, both ends included.

const DAY_MS = 24 * 60 * 60 * 1000;

export function utcDate(time) {
  return new Date(time).toISOString().slice(0, 10);
}

/** Fills a pair of date inputs with the last `days` UTC days, today included, unless they hold a date already. */
export function defaultPeriod(fromInput, toInput, days = 30) {
  const now = Date.now();
  if (!toInput.value) toInput.value = utcDate(now);
  if (!fromInput.value) fromInput.value = utcDate(now - (days - 1) * DAY_MS);
}

/** Every UTC date from `from` to `to`, both included (at most a few years, so a chart stays readable). */
export function daysBetween(from, to) {
  const days = [];
  const end = Date.parse(`${to}T00:00:00Z`);
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= end && days.length < 1500; t += DAY_MS) {
    days.push(utcDate(t));
  }
  return days;
}

/** A period a person typed: an error message when it cannot be a report's, else null. */
export function periodProblem(from, to) {
  if (!from || !to) return 'Choose both a start and an end date.';
  if (from > to) return 'The start date is after the end date.';
  return null;
}
