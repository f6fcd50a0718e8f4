/** `help` (and an empty message), and the answers to what is not understood or out of bounds. */
import { NOT_UNDERSTOOD } from '../../views/help';
import { sendCard, sendText } from '../reply';
import type { MessageTurn, RouteCommands } from './routes';

export async function help(t: MessageTurn): Promise<void> {
  await sendCard(t.ctx, t.bot.presenter.helpCard());
}

export async function unknown(t: MessageTurn, c: RouteCommands['unknown']): Promise<void> {
  await sendText(t.ctx, NOT_UNDERSTOOD.command(c));
}

/** Too long a message or name: the parser's reason says which. */
export async function invalid(t: MessageTurn, c: RouteCommands['invalid']): Promise<void> {
  await sendText(t.ctx, c.reason);
}
