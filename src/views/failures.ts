/** The error card: a coded error's title, message and next step (errors.ts), or the unexpected. */
import type { Card } from './labels';
import { render } from './templates';

/** A coded error's title, message and next step come from errors.ts. */
export function errorCard(title: string, message: string, nextStep?: string): Card {
  return render('error', { title, message, ...(nextStep ? { nextStep } : {}) });
}
