/**
 * Storage failures become one typed error. Whatever the store (SQLite on disk, Blob Storage,
 * Storage Queues), a call that fails for any reason but the workflow's own (a stale version,
 * a duplicate id) means the bot could not record or read its state. Callers then stop: no
 * decision is taken and no switch runs without being recorded first (fail closed).
 */
import { CodedError } from '../../domain/errors';

export function storageGuarded<T extends object>(target: T, what: string): T {
  return new Proxy(target, {
    get(obj, prop, receiver) {
      const value = Reflect.get(obj, prop, receiver);
      if (typeof value !== 'function' || prop === 'close' || prop === 'constructor') return value;
      return (...args: unknown[]) => {
        let result: unknown;
        try {
          result = (value as (...a: unknown[]) => unknown).apply(obj, args);
        } catch (e) {
          throw unavailable(e, what);
        }
        return result instanceof Promise
          ? result.catch((e: unknown) => {
              throw unavailable(e, what);
            })
          : result;
      };
    },
  });
}

function unavailable(e: unknown, what: string): unknown {
  if (e instanceof CodedError) return e;
  const cause =
    e instanceof Error
      ? `${e.name}${(e as { code?: unknown }).code ? ` ${String((e as { code?: unknown }).code)}` : ''}`
      : 'error';
  return new CodedError(
    'StorageUnavailable',
    `The bot's ${what} is unavailable right now, so nothing was recorded or changed. Try again in a few minutes.`,
    { cause },
  );
}
