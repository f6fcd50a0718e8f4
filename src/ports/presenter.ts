/** Turns requests into what Teams shows. Implemented by views/. */
import type { SoaRequest } from '../domain/request';
import type { Outgoing } from './notifier';

export interface Presenter {
  /** The request's card as everyone sees it, for its current state. */
  requestCard(req: SoaRequest): Record<string, unknown>;
  /** A short line for the thread when the request changes state; null when the card says it all. */
  threadUpdate(req: SoaRequest): Outgoing | null;
  /** A failure as a sentence for the thread and the card: what happened and what to do. */
  explain(e: unknown): string;
  /** The reminder posted in the thread of a request still waiting for a decision. */
  reminder(req: SoaRequest): Outgoing;
  /** What a sync cycle after a move showed; `skipped` null when Graph cannot show skipped edits. */
  watchLine(
    req: SoaRequest,
    seen: { lastSync: string; takenOver: string[]; skipped: Array<{ name: string; changes: string[] }> | null },
  ): Outgoing;
}
