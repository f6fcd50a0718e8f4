/** The audit export: the reply to `export`, and the answers of its download link. */

const DAY = 86_400_000;

/** The days of a range [from, to) as the user gave them: the end day included. */
function days(range: { from: string; to: string }): string {
  const last = new Date(new Date(range.to).getTime() - DAY).toISOString().slice(0, 10);
  return `${range.from.slice(0, 10)} to ${last} (UTC)`;
}

export const EXPORT = {
  /** `reason` is the service's word on the user's roles. */
  approversOnly: (reason?: string) => `Only approvers can export the request record. ${reason ?? ''}`.trim(),
  none: (range: { from: string; to: string }) => `No requests were created from ${days(range)}.`,
  ready: (n: number, range: { from: string; to: string }, link: string) =>
    `${n} request${n === 1 ? '' : 's'} created from ${days(range)}, one row per group with requester, approver, ` +
    `times, result and the matched audit record: [download the CSV](${link}). ` +
    'The link is for you and expires soon; it is not logged.',
};

/** What the download link answers, in plain text. */
export const DOWNLOAD = {
  expired: 'This export link has expired; ask the bot again.',
  invalid: 'This export link is not valid.',
  filename: (range: { from: string; to: string }) =>
    `soa-requests-${range.from.slice(0, 10)}-to-${range.to.slice(0, 10)}.csv`,
};
