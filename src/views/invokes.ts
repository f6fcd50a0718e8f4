/**
 * The answers to invokes of Teams features the bot does not offer (dialogs, message
 * extensions, configuration pages): Teams shows them to the user in place of the feature.
 */
export const INVOKE = {
  noDialogs: 'This bot has no dialogs or forms. Send it "help" to see what it can do.',
  noMessageExtension: 'This bot has no message extension. Send it "help" to see what it can do.',
  noSettings: 'This bot has nothing to configure here. Send it "help" to see what it can do.',
  /** Not shown: Teams reads it as "exchange failed" and shows the sign-in card instead. */
  noTokenExchange: 'This bot does not take a single sign-on token here.',
  healthy: 'The bot is running.',
};
