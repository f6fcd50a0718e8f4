/**
 * The presenter the services and the bot use: a facade over the card and line builders of
 * views/ (one file per card or message family). Reads only the request; no I/O.
 */
import { NO_CHANGE_CONTROL, type ChangeControlRules } from '../domain/change-control';
import type { ApprovalPolicy } from '../domain/policy';
import type { CheckRow } from '../domain/prerequisites';
import type { SoaRequest } from '../domain/request';
import type { Outgoing } from '../ports/notifier';
import type { Presenter } from '../ports/presenter';
import { pendingCards, type PendingByStage } from './approvals';
import { explain } from './errors';
import { changeControlRefusal, reasonCard, reasonGivenCard } from './change-control';
import { errorCard } from './failures';
import { gpadChecklist } from './gpad';
import { helpCard } from './help';
import type { Card } from './labels';
import { notice } from './notices';
import { pickCard } from './pick-card';
import { planCheckCard, planListing } from './plan-card';
import { readinessCard } from './readiness';
import { checkCard, requestCard } from './request-card';
import { boardCard, movedBoardCard, statusCard } from './status';
import { statusLine } from './status-line';
import { reminder, threadUpdate, watchLine } from './thread-lines';
import { trialLine, trialRollbackLine } from './trial';
import { scheduleLine } from './when';

export class CardPresenter implements Presenter {
  readonly explain = explain;
  readonly notice = notice;

  constructor(
    private readonly policy: ApprovalPolicy,
    private readonly ackText: (r: CheckRow | undefined) => string = (r) =>
      r ? `I confirm: ${r.detail}` : 'I confirm the sync client versions.',
    /** The ticket link on the request card (TICKET_URL_TEMPLATE). */
    private readonly changeControl: ChangeControlRules = NO_CHANGE_CONTROL,
  ) {}

  // The builders that need nothing of the presenter's own.
  readonly statusLine = statusLine;
  readonly checkCard = checkCard;
  readonly planCheckCard = planCheckCard;
  readonly planListing = planListing;
  readonly pickCard = pickCard;
  readonly statusCard = statusCard;
  readonly boardCard = boardCard;
  readonly movedBoardCard = movedBoardCard;
  readonly errorCard = errorCard;
  readonly threadUpdate = threadUpdate;
  readonly watchLine = watchLine;
  readonly gpadChecklist = gpadChecklist;
  readonly trialLine = trialLine;
  readonly trialRollbackLine = trialRollbackLine;
  readonly reasonCard = reasonCard;
  readonly reasonGivenCard = reasonGivenCard;
  readonly changeControlRefusal = changeControlRefusal;
  readonly readinessCard = readinessCard;

  // The approval policy is named on the request card, the help card and the reminder.
  requestCard(req: SoaRequest): Card {
    return requestCard(req, this.policy, this.ackText, this.changeControl);
  }

  helpCard(): Card {
    return helpCard(this.policy);
  }

  /** `pending` when requests need several approvals: per stage, with who may still approve. */
  pendingCards(p: PendingByStage, emptyText: string): Card[] {
    return pendingCards(p, this.policy, emptyText);
  }

  reminder(req: SoaRequest): Outgoing {
    return reminder(req, this.policy);
  }

  scheduleLine(req: SoaRequest, kind: 'soon' | 'late'): Outgoing {
    return scheduleLine(req, kind, this.policy);
  }
}
