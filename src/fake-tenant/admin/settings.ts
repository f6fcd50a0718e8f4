/** PUT /_fake/settings: checks every setting given, then applies them all, or none. */
import { jsonReply, type HttpReply } from '../http';
import type { Settings } from '../model';
import { adminError, type AdminContext, type AdminInput } from './context';

const KNOWN = [
  'latencyMs',
  'auditDelayMs',
  'syncIntervalMs',
  'soaPatchStatus',
  'auditActivityNames',
  'accessTokenLifetimeSeconds',
  'deltaTokenLifetimeSeconds',
  'syncClient',
  'deltaPageGroups',
  'deltaPageLinks',
];

export function putSettings(ctx: AdminContext, input: AdminInput): HttpReply {
  const problems = applySettings(ctx.settings, input ?? {});
  if (problems.length) return adminError(400, problems.join('; '));
  ctx.scheduleSync();
  return jsonReply(200, ctx.settings);
}

function applySettings(settings: Settings, input: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const nonNegative = (k: 'latencyMs' | 'auditDelayMs' | 'syncIntervalMs', max: number) => {
    const v = input[k];
    if (v === undefined) return;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > max)
      problems.push(`'${k}' must be a number between 0 and ${max}.`);
  };
  nonNegative('latencyMs', 60_000);
  nonNegative('auditDelayMs', 3_600_000);
  nonNegative('syncIntervalMs', 86_400_000);
  for (const k of ['deltaPageGroups', 'deltaPageLinks'] as const) {
    const v = input[k];
    if (v !== undefined && (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 5000))
      problems.push(`'${k}' must be a whole number between 1 and 5000.`);
  }
  const deltaLife = input.deltaTokenLifetimeSeconds;
  if (deltaLife !== undefined && (typeof deltaLife !== 'number' || !Number.isInteger(deltaLife) || deltaLife < 0))
    problems.push("'deltaTokenLifetimeSeconds' must be a whole number of seconds, 0 or more.");
  if (input.soaPatchStatus !== undefined && input.soaPatchStatus !== 200 && input.soaPatchStatus !== 204)
    problems.push("'soaPatchStatus' must be 200 or 204.");
  if (input.syncClient !== undefined && input.syncClient !== 'cloudSync' && input.syncClient !== 'connectSync')
    problems.push("'syncClient' must be cloudSync or connectSync.");
  // Negative lifetimes mint already-expired tokens, for tests of expiry handling.
  const life = input.accessTokenLifetimeSeconds;
  if (
    life !== undefined &&
    (typeof life !== 'number' || !Number.isInteger(life) || life === 0 || Math.abs(life) > 86_400)
  )
    problems.push("'accessTokenLifetimeSeconds' must be a non-zero whole number of seconds within a day.");
  const names = input.auditActivityNames as Record<string, unknown> | undefined;
  if (
    names !== undefined &&
    (typeof names !== 'object' || names === null || Object.values(names).some((v) => typeof v !== 'string' || !v))
  )
    problems.push("'auditActivityNames' must be {convert, rollback} strings.");
  for (const k of Object.keys(input)) if (!KNOWN.includes(k)) problems.push(`Unknown setting '${k}'.`);
  if (problems.length) return problems;
  for (const k of KNOWN) {
    if (input[k] === undefined) continue;
    if (k === 'auditActivityNames')
      settings.auditActivityNames = { ...settings.auditActivityNames, ...(names as Record<string, string>) };
    else (settings as unknown as Record<string, unknown>)[k] = input[k];
  }
  return [];
}
