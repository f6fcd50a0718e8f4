/** Well-known ids of the Microsoft identity platform that the fake tenant's tokens carry. */

export const GRAPH_RESOURCE = 'https://graph.microsoft.com';
export const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';
/** Teams desktop/web client ids; the SSO token's `azp` in production. */
export const TEAMS_CLIENT_ID = '1fec8e78-bce4-4aaf-ab1b-5451cc387264';
/** The "User" directory role template every member holds (in the `wids` claim). */
export const DEFAULT_USER_ROLE = 'b79fbf4d-3ef9-4689-8143-76b194e85509';
