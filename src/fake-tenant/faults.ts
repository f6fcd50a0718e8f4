/** Faults injected through the admin API (POST /_fake/faults) into Graph and identity calls. */

export interface Fault {
  /** Tested against the request path. */
  match: RegExp;
  method?: string;
  status?: number;
  retryAfter?: number;
  delayMs?: number;
  /** Calls left to fault. */
  count: number;
}

/** The first fault with calls left that matches this call, counted down by one. */
export function takeFault(faults: Fault[], path: string, method: string): Fault | undefined {
  const f = faults.find((x) => x.count > 0 && x.match.test(path) && (!x.method || x.method.toUpperCase() === method));
  if (f) f.count -= 1;
  return f;
}
