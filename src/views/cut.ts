/** The words of a message or card the bot had to shorten to stay within Teams' size limit. */

/** Closes a list shortened to fit: where the rest is. */
export const cutListNote = (n: number) =>
  `… and ${n} more, left out to keep this message within Teams' size limit: ` +
  '`status` and `export` list everything.';

/** Closes a text shortened to fit. */
export const CUT_TEXT_NOTE = "\n\n… (shortened to Teams' size limit: `status` and `export` have it all)";
