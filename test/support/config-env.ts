/** The local settings the configuration tests start from, and the problems a load names. */
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '../../src/config';
import { LOCAL_BOT_APP_ID, LOCAL_BOT_SECRET, LOCAL_TENANT_ID } from '../../src/fake-tenant/seed';

export const local = {
  AAD_APP_CLIENT_ID: LOCAL_BOT_APP_ID,
  // The fake tenant's local-only client secret (env/.env.playground), not a real one.
  AAD_APP_CLIENT_SECRET: LOCAL_BOT_SECRET,
  AAD_APP_TENANT_ID: LOCAL_TENANT_ID,
};

/** What loading `local` plus `env` refuses, as the message says it; '' when it loads. */
export function problems(env: Record<string, string>): string {
  try {
    loadConfig({ ...local, ...env }, '/srv/bot');
    return '';
  } catch (e) {
    assert.ok(e instanceof ConfigError);
    return e.message;
  }
}
