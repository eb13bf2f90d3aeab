import { current, isDraft } from 'immer';

/**
 * A deep copy of any immer draft reachable from `value` (through plain objects
 * and arrays), so a result computed inside an update or a `step` outlives the
 * draft it was read from; everything else is returned as it is.
 */
export function undraft<T>(value: T): T {
  if (isDraft(value)) return current(value as object) as T;
  if (Array.isArray(value)) return value.map(undraft) as T;
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, undraft(v)])) as T;
  }
  return value;
}
