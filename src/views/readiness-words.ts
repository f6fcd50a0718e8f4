/** The readiness report in words: classes, reasons, and the sentences of the `readiness` command. */
import type { ReadinessClass, ReadinessReason } from '../domain/readiness-types';
import { isCoded } from '../domain/errors';
import { forMessage } from './text';

export const CLASS_LABEL: Record<ReadinessClass, string> = {
  ready: 'Ready',
  warnings: 'Ready with warnings',
  blocked: 'Blocked',
  cloud: 'Already cloud-managed',
};

/** Each reason as a phrase: on the card ("an open request in the bot (3 groups)") and in the CSV. */
export const REASON_LABEL: Record<ReadinessReason, string> = {
  mailEnabled: 'mail-enabled',
  extensionAttributes: 'extension attributes set',
  parentsInAd: 'parent groups still synced from AD',
  childrenInAd: 'child groups still managed in AD',
  cycle: 'part of a nesting cycle',
  tenantSyncOff: 'the tenant does not sync from AD',
  rollbackPending: 'rolled back, waiting for the next sync',
  noLongerSynced: 'no longer synced from AD (sync stopped for it)',
  provisioningErrors: 'provisioning errors',
  openRequest: 'an open request in the bot',
};

export const count = (n: number) => n.toLocaleString('en-US');
export const groups = (n: number) => `${count(n)} group${n === 1 ? '' : 's'}`;

/** The sentences of the `readiness` command and its buttons. */
export const READINESS = {
  /** `reason` is the service's word on the user's roles. */
  approversOnly: (reason?: string) =>
    `Only approvers can run the readiness report: it reads every group of the tenant. ${reason ?? ''}`.trim(),
  alreadyRunning: (scanId: string) =>
    `A readiness scan is already running: ${scanId}. Its card shows how far it got; ` +
    'cancel it there to start another.',
  started: (scanId: string) => `Readiness scan ${scanId} started: its card shows how far it got.`,
  /** Said on the card when the tenant has no group synced from AD. */
  noSyncedGroups: (groupsRead: number) =>
    `This tenant has no groups synced from AD (${groups(groupsRead)} read): ` +
    'there is nothing to move to cloud management.',
  /** Said on the card when a slice matches no group synced from AD. */
  sliceEmpty: (prefix: string, groupsRead: number) =>
    `No group synced from AD has a name starting with "${forMessage(prefix)}" (${groups(groupsRead)} read). ` +
    'Check the start of the name, or type "readiness" for the whole tenant.',
  notAScan: 'This card does not refer to a readiness scan I know. Nothing was changed.',
  notReading: (scanId: string) => `Readiness scan ${scanId} is not running any more. Nothing was changed.`,
  cancelling: (scanId: string) => `Cancelling readiness scan ${scanId}.`,
  notDone: (scanId: string) => `Readiness scan ${scanId} has no report yet: export it once it is done.`,
  /** Sent to the approver alone (their one-to-one chat with the bot). */
  exportReady: (rows: number, link: string, minutes: number) =>
    `The readiness report, ${groups(rows)} with class, reasons, depth and wave: [download the CSV](${link}). ` +
    `The link is for you alone: it works once, expires in ${minutes} minutes, and its use is logged ` +
    'under your account. Do not forward it.',
  filename: (scanId: string) => `soa-readiness-${scanId}.csv`,
};

/**
 * Why a scan stopped for good, in a scan's terms (the request-oriented words of views/errors.ts
 * speak of a change and an approver): a scan only reads, with the bot's own identity.
 */
export function scanFailure(e: unknown): string {
  const again = ' Nothing was changed; type "readiness" to start a new scan.';
  if (!isCoded(e)) return `An unexpected error stopped the scan (see the bot logs).${again}`;
  switch (e.code) {
    case 'PermissionDenied':
    case 'Unauthorized':
    case 'AppCredentialRejected':
    case 'ConsentRequired':
      return (
        "Microsoft Graph refused the bot's own read of the groups: its app needs Group.Read.All (or " +
        `Directory.Read.All) with admin consent, and a valid credential (${e.code}).${again}`
      );
    case 'Throttled':
      return `Microsoft Graph kept throttling the scan after retries; try again in a few minutes.${again}`;
    default:
      return `${e.message}${again}`;
  }
}
