import assert from 'node:assert/strict';
import { loadConfig } from '../../src/config';
import { local, problems } from '../support/config-env';

describe('configuration: justification and ticket', () => {
  it('nothing is required by default', () => {
    assert.deepEqual(loadConfig(local, '/srv/bot').changeControl, { requireJustification: false });
  });

  it('reads REQUIRE_JUSTIFICATION, TICKET_PATTERN and TICKET_URL_TEMPLATE', () => {
    const c = loadConfig(
      {
        ...local,
        REQUIRE_JUSTIFICATION: 'true',
        TICKET_PATTERN: 'CHG[0-9]{7}',
        TICKET_URL_TEMPLATE: 'https://contoso.service-now.com/change_request.do?number={ticket}',
      },
      '/srv/bot',
    );
    assert.deepEqual(c.changeControl, {
      requireJustification: true,
      ticketPattern: 'CHG[0-9]{7}',
      ticketUrlTemplate: 'https://contoso.service-now.com/change_request.do?number={ticket}',
    });
  });

  it('names each bad setting: a pattern that does not compile, a template not https or without {ticket}', () => {
    assert.match(
      problems({ TICKET_PATTERN: 'CHG[0-9' }),
      /TICKET_PATTERN is not a valid regular expression: 'CHG\[0-9'/,
    );
    assert.match(
      problems({ TICKET_URL_TEMPLATE: 'http://tickets.example/{ticket}' }),
      /TICKET_URL_TEMPLATE must be an https URL/,
    );
    assert.match(
      problems({ TICKET_URL_TEMPLATE: 'https://tickets.example/change' }),
      /TICKET_URL_TEMPLATE must contain \{ticket\}/,
    );
    assert.match(problems({ REQUIRE_JUSTIFICATION: 'sometimes' }), /REQUIRE_JUSTIFICATION must be true or false/);
  });
});
