/** Approvals on a request: counted ones, the quorum they need, and those waiting for a sign-in. Pure types. */
import type { Person } from './request';

/** An approval waiting for its approver's interactive sign-in: finished with these facts once it completes. */
export interface PendingSignIn {
  approver: Person;
  /** The card version the approver clicked: a card changed since is not approved on its strength. */
  cardVersion: number;
  syncVersionsAcknowledged: boolean;
  /** The card's "still needed in AD" toggle, sent with that Approve. */
  stillNeededInAd?: boolean;
  /** What Entra ID asked for (AADSTSnnnnn), when it said. */
  aadsts?: number;
  askedAt: string;
}

/** One approval of a request (a stage may need several, from distinct people). */
export interface Approval {
  by: Person;
  at: string;
  stage: 1 | 2;
  /** The requester approved their own request (ALLOW_SELF_APPROVAL). */
  selfApproved?: boolean;
}

/** How many approvals a request needs, fixed when it is made: APPROVALS_REQUIRED and the second stage. */
export interface Quorum {
  approvals: number;
  /** Members of this Entra group (transitively) approve after the first stage. */
  secondStage?: { groupId: string; approvals: number };
}
