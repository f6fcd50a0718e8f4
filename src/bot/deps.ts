/** What the bot's routes work with: the services, the presenter, and the turn they answer. */
import type { TurnContext } from 'botbuilder';
import type { TeamsAdapter, TurnState } from '@microsoft/teams-ai';
import type { Person } from '../domain/request';
import type { Logger } from '../ports/logger';
import type { PrivateNotifier } from '../ports/notifier';
import type { RequestStore } from '../ports/store';
import type { BoardService } from '../services/boards';
import type { SoaService } from '../services/soa-service';
import type { CardPresenter } from '../views/presenter';

export interface BotDeps {
  adapter: TeamsAdapter;
  service: SoaService;
  presenter: CardPresenter;
  logger: Logger;
  /** For redelivery detection. */
  store: RequestStore;
  boards: BoardService;
  /** How long a click waits for its decision before answering at once (default 700 ms). */
  clickBudgetMs?: number;
  /** Signed, one-time, expiring download links for the audit export, made for one approver. */
  exports: {
    count(range: { from: string; to: string }): Promise<number>;
    link(range: { from: string; to: string }, by: Person): string;
    /** The full list of a finished readiness report. */
    scanLink(scanId: string, by: Person): string;
    /** How long a link lives. */
    minutes: number;
  };
  /** One-to-one messages: what only the person who asked may see (the export link). */
  privately: PrivateNotifier;
  /** Teams SSO through an OAuth connection: sign-in is required for Approve and Reject. */
  sso?: { connectionName: string; tokenExchangeUri: string };
}

/** The dependencies, and what the routes need of the Application itself. */
export interface Bot extends BotDeps {
  /** Forgets the user's sign-in (only with an OAuth connection). */
  signOut?: (ctx: TurnContext, state: TurnState) => Promise<void>;
}

/** A turn with a known sender (an Entra object id): a message, or a card click. */
export interface Turn {
  ctx: TurnContext;
  who: Person;
  bot: Bot;
}
