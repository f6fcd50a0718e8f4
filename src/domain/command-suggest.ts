/** "Did you mean": fixes a mistyped verb, or completes a request that lacks its direction. */
import type { Command } from './command-types';

const VERBS = ['move', 'rollback', 'check', 'status', 'pending', 'board', 'help', 'cancel'];

/** `parse` reads a corrected message again: a fix is suggested only when it is understood. */
export function suggest(text: string, parse: (text: string) => Command): { suggestion?: string } {
  const [first = '', ...rest] = text.split(' ');
  const restText = rest.join(' ');
  const best = VERBS.map((v) => ({ v, d: distance(first.toLowerCase(), v) })).sort((a, b) => a.d - b.d)[0]!;
  if (best.d > 0 && best.d <= 2 && first.length >= 3) {
    const fixed = `${best.v}${restText ? ` ${restText}` : ''}`;
    const again = parse(fixed);
    if (again.kind !== 'unknown') return { suggestion: fixed };
    if (best.v === 'move' && restText) return { suggestion: `move ${restText} to cloud` };
  }
  if (/^(move|migrate|switch|convert)$/i.test(first) && restText && !/\bto\b/i.test(restText))
    return { suggestion: `move ${restText} to cloud` };
  return {};
}

/** Edit distance with transpositions (optimal string alignment). */
function distance(a: string, b: string): number {
  const dp = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) dp[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      dp[i]![j] = Math.min(
        dp[i - 1]![j]! + 1,
        dp[i]![j - 1]! + 1,
        dp[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        dp[i]![j] = Math.min(dp[i]![j]!, dp[i - 2]![j - 2]! + 1);
    }
  }
  return dp[a.length]![b.length]!;
}
