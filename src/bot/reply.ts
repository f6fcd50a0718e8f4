/** Answers in the turn's own conversation: a card (with an optional line of text) or Markdown text. */
import { CardFactory, MessageFactory, type TurnContext } from 'botbuilder';

export const sendCard = (ctx: TurnContext, card: Record<string, unknown>, text?: string) =>
  ctx.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(card), text));

export const sendText = (ctx: TurnContext, text: string) =>
  ctx.sendActivity({ type: 'message', text, textFormat: 'markdown' });
