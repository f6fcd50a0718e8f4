/** The ticket and reason of a new request, vetted against the change-control settings before anything is read. */
import { NO_CHANGE_CONTROL, needsJustification, vetClauses } from '../../domain/change-control';
import type { Clauses } from '../../domain/command';
import { CodedError } from '../../domain/errors';
import { newRequestId } from '../../domain/request';
import type { ServicePorts } from './shared';

/** What the requester gave with the request; `requestId` is the reason card's id for the request it creates. */
export interface ChangeControl extends Clauses {
  requestId?: string;
}

/** What a new request stores of its change control. */
export interface Vetted {
  ticket?: string;
  justification?: string;
  requestId?: string;
}

export const rulesOf = (ports: ServicePorts) => ports.settings.changeControl ?? NO_CHANGE_CONTROL;

/**
 * The ticket and reason to store; a missing or bad ticket, a reason too short or too long, or a
 * time (not offered) is refused with InvalidInput carrying the problem (`details.changeControl`).
 */
export function vetted(ports: ServicePorts, control: ChangeControl | undefined): Vetted {
  const v = vetClauses(rulesOf(ports), control);
  if ('problem' in v)
    throw new CodedError('InvalidInput', 'The request does not follow the change-control rules.', {
      changeControl: v.problem,
    });
  return { ...v, ...(control?.requestId ? { requestId: control.requestId } : {}) };
}

/** A reason is required and none was given: the id the reason card gives the request it will create. */
export function reasonCardId(ports: ServicePorts, v: Vetted): string | undefined {
  return needsJustification(rulesOf(ports), v.justification) ? newRequestId(ports.random) : undefined;
}
