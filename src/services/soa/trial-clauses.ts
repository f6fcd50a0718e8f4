/** A new request's trial clause ("for 7 days", "as a trial"): read, refused, or stored. */
import { CodedError } from '../../domain/errors';
import type { Clauses } from '../../domain/command-clauses';
import type { SoaRequest } from '../../domain/request';
import { readTrial, type TrialCheck } from '../../domain/trial';

/** The trial clause of a new request, read; null without one. `kind` is what the request is. */
export function trialReading(clauses: Clauses | undefined, kind: 'move' | 'rollback' | 'plan'): TrialCheck | null {
  if (!clauses?.trial) return null;
  if (kind !== 'move') return { ok: false, text: clauses.trial, problem: 'notAMove' };
  return readTrial(clauses.trial);
}

/** A trial clause that cannot be stored is refused with InvalidInput (`details.trial`); nothing is stored. */
export function vetTrial(clauses: Clauses | undefined, kind: 'move' | 'rollback' | 'plan'): void {
  const r = trialReading(clauses, kind);
  if (r && !r.ok) throw new CodedError('InvalidInput', 'The trial length cannot be used.', { trial: r });
}

/** What a new move stores of its trial clause (nothing without one); a refused one was answered before. */
export function trialFields(clauses: Clauses | undefined): Pick<SoaRequest, 'trial'> {
  const r = trialReading(clauses, 'move');
  return r?.ok ? { trial: { text: r.text, lengthMs: r.lengthMs } } : {};
}
