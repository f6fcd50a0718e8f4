/** What the user reads when something fails: the error card, and the words for the unexpected. */
import type { Card } from './labels';
import { render } from './templates';

/** A coded error's title, message and next step come from errors.ts. */
export function errorCard(title: string, message: string, nextStep?: string): Card {
  return render('error', { title, message, ...(nextStep ? { nextStep } : {}) });
}

/** A bug or an outage nobody coded: the reference is in the log line next to the error. */
export const UNEXPECTED = {
  click: (ref: string) => `Something went wrong on my side (reference ${ref}). Nothing was changed.`,
  messageTitle: 'Something went wrong',
  message: (ref: string) => `I could not finish that (reference ${ref}). Nothing was changed.`,
  turn: (ref: string) => `Something went wrong on my side (reference ${ref}).`,
};
