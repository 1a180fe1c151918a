/** A value now, or later: what a cached read returns (the value at once on a hit, a promise on a miss). */
export type MaybePromise<T> = T | Promise<T>;

/**
 * `next(value)` now when `value` is plain, after it resolves when it is a promise. Hot paths chain cached reads
 * with it instead of `await`, which costs a promise, a suspended frame and a microtask turn even on a hit.
 */
export function then<T, R>(value: MaybePromise<T>, next: (value: T) => R): R | Promise<Awaited<R>> {
  return value instanceof Promise ? (value.then(next) as Promise<Awaited<R>>) : next(value);
}
