/** Reads settings from the environment, collecting every problem instead of stopping at the first. */

export class EnvReader {
  /** Each bad or missing setting, in the order met; the bot refuses to start if any. */
  readonly problems: string[] = [];

  constructor(private readonly env: Record<string, string | undefined>) {}

  /** The setting, trimmed; undefined when unset or blank. */
  str(k: string): string | undefined {
    return (this.env[k] ?? '').trim() || undefined;
  }

  num(k: string, def: number, min = 0): number {
    const v = this.str(k);
    if (v === undefined) return def;
    const n = Number(v);
    if (!Number.isFinite(n) || n < min) {
      this.problems.push(`${k} must be a number ≥ ${min}, not '${v}'.`);
      return def;
    }
    return n;
  }

  bool(k: string, def: boolean): boolean {
    const v = this.str(k)?.toLowerCase();
    if (v === undefined) return def;
    if (['1', 'true', 'yes', 'on'].includes(v)) return true;
    if (['0', 'false', 'no', 'off'].includes(v)) return false;
    this.problems.push(`${k} must be true or false, not '${v}'.`);
    return def;
  }

  problem(text: string): void {
    this.problems.push(text);
  }
}
