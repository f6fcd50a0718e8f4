/**
 * The bot's few web pages: the about, privacy and terms pages the Teams app manifest links to,
 * and the shell the export download page uses. Plain HTML without scripts, styles or anything
 * loaded from elsewhere.
 */

/** `&`, `<`, `>` and quotes as entities: a value cannot open a tag or leave an attribute. */
export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** A whole page; `body` is HTML the caller built (values in it already escaped). */
export function htmlPage(title: string, body: string): string {
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="referrer" content="no-referrer">',
    `<title>${escapeHtml(title)}</title>`,
    '</head>',
    '<body>',
    `<h1>${escapeHtml(title)}</h1>`,
    body,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

const p = (...sentences: string[]) => `<p>${sentences.join(' ')}</p>`;
const list = (items: string[]) => `<ul>\n${items.map((i) => `<li>${i}</li>`).join('\n')}\n</ul>`;

/** The settings the pages state (they are the deployment's own, not defaults). */
export interface PageSettings {
  /** Undecided requests expire after this many hours. */
  requestTtlHours: number;
  /** Finished requests leave the working set after this many days. */
  archiveAfterDays: number;
  /** How long an export link lives. */
  linkMinutes: number;
}

const hours = (h: number) => `${Number(h.toFixed(2))} hour${h === 1 ? '' : 's'}`;
const daysOf = (d: number) => `${Number(d.toFixed(2))} day${d === 1 ? '' : 's'}`;

export function aboutPage(): string {
  return htmlPage(
    'SOA Bot',
    [
      p(
        'SOA Bot is a Microsoft Teams bot for moving Active Directory groups to cloud management in',
        'Microsoft Entra ID (Group Source of Authority), and back, after an approval in Teams.',
        'It is run by the organisation that installed it, for its own tenant.',
      ),
      list(['<a href="/privacy">Privacy: what the bot stores</a>', '<a href="/terms">Terms of use</a>']),
    ].join('\n'),
  );
}

export function privacyPage(s: PageSettings): string {
  return htmlPage(
    'SOA Bot: privacy',
    [
      p(
        'SOA Bot is run by the organisation that installed it in Microsoft Teams, for the people of',
        'its own Entra tenant. It stores what it needs to carry out and record group changes in that',
        "organisation's own storage (an Azure Storage account or a file on the bot's host). It works",
        'through Microsoft Teams, the Bot Framework and Microsoft Graph, and sends the data nowhere else.',
      ),
      '<h2>What it stores</h2>',
      list([
        [
          'For each request: the group (object id, name and the facts read about it from Microsoft Graph:',
          'type, on-premises name and security identifier, last sync, nested and parent groups); the',
          'requester and the approver (names, Entra object ids, Teams user ids); the decision, a',
          "rejection's reason, times and each state it went through; the Teams conversation it was asked",
          'in, so the bot can post there; the matched Entra audit record (its id, activity, time, who',
          'initiated it, result and correlation id).',
        ].join(' '),
        "For each channel or chat's tracking board: where its card is and who posted it.",
        'The ids of the Teams messages it received, to ignore a message delivered twice, and of the export' +
          ' links used, so that each works once.',
      ]),
      p(
        "It does not store sign-in tokens: the approver's token comes from the Bot Framework token",
        'service when a change needs it and is held in memory only.',
        'Its logs name request ids, object ids and events, never a token or a secret.',
      ),
      '<h2>Who sees it</h2>',
      p(
        'People in the conversation where a request was made see its card and the lines posted in its',
        'thread. Approvers can export the record of requests as a CSV file; the link is sent to the',
        `approver alone, works once and expires after ${escapeHtml(String(s.linkMinutes))} minutes.`,
      ),
      '<h2>How long</h2>',
      p(
        `A request nobody decides expires after ${escapeHtml(hours(s.requestTtlHours))}.`,
        `Finished requests leave the working set after ${escapeHtml(daysOf(s.archiveAfterDays))} and are`,
        'kept as the record of changes (for status and exports) until the organisation deletes them from',
        `its storage. Message and link ids are deleted after ${escapeHtml(daysOf(s.archiveAfterDays))}.`,
      ),
      p('Questions about this data go to the team in your organisation that runs the bot.'),
    ].join('\n'),
  );
}

export function termsPage(): string {
  return htmlPage(
    'SOA Bot: terms of use',
    [
      p(
        'SOA Bot is an internal tool of the organisation that runs it; its policies for administrative',
        'tools apply. Ask for and approve changes only to groups you are responsible for.',
      ),
      p(
        "Every change is made with the approver's own identity, so Microsoft Entra ID records the",
        'approver in its audit log and applies their Conditional Access. The bot refuses what its',
        'approval policy does not allow; Microsoft Graph refuses what the approver may not do.',
      ),
      p('The bot is provided as it is, without warranty. See also <a href="/privacy">privacy</a>.'),
    ].join('\n'),
  );
}
