/** The audit export: the reply to `export`, and what its download link answers. */
import { escapeHtml, htmlPage } from './pages';

const DAY = 86_400_000;

type Range = { from: string; to: string };

/** The days of a range [from, to) as the user gave them: the end day included. */
function days(range: Range): string {
  const last = new Date(new Date(range.to).getTime() - DAY).toISOString().slice(0, 10);
  return `${range.from.slice(0, 10)} to ${last} (UTC)`;
}

export const EXPORT = {
  /** `reason` is the service's word on the user's roles. */
  approversOnly: (reason?: string) => `Only approvers can export the request record. ${reason ?? ''}`.trim(),
  none: (range: Range) => `No requests were created from ${days(range)}.`,
  /** Sent to the approver alone (their one-to-one chat with the bot). */
  ready: (n: number, range: Range, link: string, minutes: number) =>
    `${n} request${n === 1 ? '' : 's'} created from ${days(range)}, one row per group with requester, approver, ` +
    `times, result and the matched audit record: [download the CSV](${link}). ` +
    `The link is for you alone: it works once, expires in ${minutes} minutes, and its use is logged ` +
    'under your account. Do not forward it.',
  /** What a channel or group chat sees instead of the link. */
  sentPrivately: 'I sent you the export link privately, in your one-to-one chat with me.',
  /** The one-to-one chat could not be reached: still no link in the shared conversation. */
  notSentPrivately:
    'I could not send you the export link privately, and I do not post it here where everyone can see it. ' +
    'Open a one-to-one chat with me and type `export` there.',
};

/** The readiness report's full list: the answers to **Export the full list** on its card. */
export const READINESS_EXPORT = {
  approversOnly: (reason?: string) => `Only approvers can export the readiness list. ${reason ?? ''}`.trim(),
  sentPrivately: 'I sent you the link to the full list privately, in your one-to-one chat with me.',
  notSentPrivately:
    'I could not send you the link privately, and I do not post it here where everyone can see it. ' +
    'Open a one-to-one chat with me, then click **Export the full list** again.',
};

/** The form of a valid link's page: its button downloads (a POST with the link's fields). */
function downloadForm(fields: { p: string; exp: string; sig: string }): string[] {
  return [
    '<p>This link was made for the approver who asked for it. It works once: the download uses it up, ' +
      'and the download is logged under that approver&#39;s account.</p>',
    '<form method="post" action="/api/exports">',
    ...Object.entries(fields).map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`),
    '<button type="submit">Download the CSV</button>',
    '</form>',
  ];
}

/** What the download link answers. */
export const DOWNLOAD = {
  expired: 'This export link has expired; ask the bot again.',
  invalid: 'This export link is not valid.',
  used: 'This export link has already been used; each link works once. Ask the bot again.',
  filename: (range: Range) => `soa-requests-${range.from.slice(0, 10)}-to-${range.to.slice(0, 10)}.csv`,
  /**
   * The page a valid link opens: its button downloads (a POST with the link's fields), so a
   * scanner that only fetches the link does not use it up.
   */
  page: (range: Range, fields: { p: string; exp: string; sig: string }) =>
    htmlPage(
      'SOA Bot: export of requests',
      [`<p>The requests created from ${escapeHtml(days(range))}, as a CSV file.</p>`, ...downloadForm(fields)].join(
        '\n',
      ),
    ),
  /** The page of a readiness list's link. */
  scanPage: (scanId: string, fields: { p: string; exp: string; sig: string }) =>
    htmlPage(
      'SOA Bot: readiness list',
      [
        `<p>Readiness report ${escapeHtml(scanId)}: every group with its class, reasons, depth and wave, ` +
          'as a CSV file.</p>',
        ...downloadForm(fields),
      ].join('\n'),
    ),
};
