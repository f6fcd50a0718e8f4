import assert from 'node:assert/strict';
import fc from 'fast-check';
import { MAX_NAME_LENGTH, parseCommand } from '../../src/domain/command';
import { forCard, forMessage } from '../../src/views/text';
import { people, startStack, type Stack } from '../support/stack';

/**
 * Property-based: random and half-formed input never crashes the parser or the bot, and the
 * bot always answers. Seeds are fixed per run by fast-check and printed on failure.
 */
const KINDS = new Set([
  'request',
  'check',
  'status',
  'plan',
  'export',
  'rollbackPlan',
  'pending',
  'board',
  'help',
  'signin',
  'signout',
  'cancel',
  'unknown',
  'invalid',
  'empty',
]);

/** Text that looks like commands: verbs, names, quotes, operators, markup and noise, in any order. */
const piece = fc.oneof(
  fc.constantFrom(
    'move',
    'rollback',
    'check',
    'status',
    'cancel',
    'export',
    'to cloud',
    'back to AD',
    'and its nested groups',
    'the tree under',
    'groups starting with',
    'last 7 days',
    'R-ABC123',
    'SecGroup1',
    'SecGroup2',
    'for CHG0012345',
    'because',
    'at 22:00',
    'on Saturday at 22:00',
    'in 2 hours',
  ),
  fc.constantFrom(
    '"',
    "'",
    ',',
    ' and ',
    '<at>SOA Bot</at>',
    '<b>',
    ']( ',
    '$filter=',
    " or 1 eq 1 or '",
    '\u202e',
    '\u0000',
    '\n',
    '＂',
    '%27',
    '${x}',
    '{{y}}',
  ),
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 12 }),
);
const commandish = fc.array(piece, { maxLength: 12 }).map((xs) => xs.join(' '));
const anyText = fc.oneof(
  commandish,
  fc.string({ unit: 'binary', maxLength: 400 }),
  fc.string({ unit: 'grapheme', maxLength: 80 }),
);

describe('property: the command parser', () => {
  it('never throws; always one known kind; names are bounded, trimmed and free of control characters', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const { command } = parseCommand(text);
        assert.ok(KINDS.has(command.kind), command.kind);
        const names =
          command.kind === 'request' || command.kind === 'check'
            ? command.targets.map((t) => t.name)
            : command.kind === 'status' && command.target
              ? [command.target.name]
              : [];
        for (const n of names) {
          assert.ok(n.length > 0 && n.length <= MAX_NAME_LENGTH, `name of ${n.length}`);
          assert.equal(n, n.trim());
          // eslint-disable-next-line no-control-regex -- control characters are what names must not have
          assert.doesNotMatch(n, /[\u0000-\u001f\u007f]/);
        }
        const clauses =
          command.kind === 'request' || command.kind === 'plan' || command.kind === 'rollbackPlan'
            ? command.clauses
            : undefined;
        if (clauses) {
          assert.ok(command.kind !== 'plan' || command.mode === 'request', 'no clauses on a check');
          if (clauses.ticket !== undefined) assert.match(clauses.ticket, /^[A-Za-z0-9-]*[0-9][A-Za-z0-9-]*$/);
          for (const v of [clauses.justification, clauses.when])
            if (v !== undefined) {
              assert.ok(v.length > 0 && v === v.trim());
              // eslint-disable-next-line no-control-regex -- control characters are what clauses must not have
              assert.doesNotMatch(v, /[\u0000-\u001f\u007f]/);
            }
        }
      }),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 3000) },
    );
  });

  it(
    'shown text: no Markdown link, no line break or control ' + 'character, no bidi override; messages carry no HTML',
    () => {
      fc.assert(
        fc.property(anyText, (text) => {
          for (const out of [forCard(text), forMessage(text)]) {
            assert.doesNotMatch(out, /\]\s*\(/);
            // eslint-disable-next-line no-control-regex -- control characters are what shown text must not have
            assert.doesNotMatch(out, /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
            assert.ok(out.length <= 300 * 5);
          }
          assert.doesNotMatch(forMessage(text), /[<>]/);
        }),
        { numRuns: Number(process.env.PROPERTY_RUNS ?? 3000) },
      );
    },
  );
});

describe('property: the bot answers whatever it is sent', () => {
  let s: Stack;
  const unhandled: unknown[] = [];
  const onUnhandled = (e: unknown) => unhandled.push(e);
  before(async () => {
    process.on('unhandledRejection', onUnhandled);
    s = await startStack();
  });
  after(async () => {
    process.off('unhandledRejection', onUnhandled);
    await s.stop();
  });

  let n = 0;
  it(
    'a random message always gets a reply in its conversation, never an internal error, and nothing ' +
      'is left unhandled',
    async function () {
      this.timeout(120_000);
      await fc.assert(
        fc.asyncProperty(anyText, async (text) => {
          const key = `prop-${++n}`;
          const since = s.channel.outbound.length;
          const r = await s.channel.say(people.alex, text, { kind: n % 2 ? 'personal' : 'channel', key });
          assert.equal(r.status, 200);
          await s.channel.waitFor((o) => o.conversationId.includes(key), 10_000, since);
          const answers = s.channel.outbound.slice(since).filter((o) => o.conversationId.includes(key));
          assert.ok(
            !answers.some((o) =>
              /went wrong/.test(`${o.activity.text ?? ''} ${JSON.stringify(o.activity.attachments ?? [])}`),
            ),
            `an internal error for ${JSON.stringify(text)}`,
          );
        }),
        { numRuns: 60 },
      );
      assert.deepEqual(unhandled, []);
    },
  );

  it(
    'a random card click (any verb, any data) is always answered with a message or a card, never an ' +
      'error status or an internal error',
    async function () {
      this.timeout(120_000);
      const json = fc.jsonValue({ maxDepth: 2 });
      const data = fc.oneof(
        fc.dictionary(fc.string({ maxLength: 10 }), json, { maxKeys: 5 }),
        fc.record(
          {
            requestId: fc.oneof(fc.constantFrom('R-ABC123', 'r-zzzzzz', ''), fc.string(), json),
            version: json,
            groupId: fc.oneof(fc.uuid(), fc.string()),
            action: fc.oneof(fc.constant('rollback'), fc.string()),
            rejectReason: fc.string({ maxLength: 50 }),
            ackSyncVersions: json,
            // The reason card's fields.
            scope: fc.oneof(
              fc.string(),
              fc.constantFrom(
                '{"kind":"tree","rootId":"a1000000-0000-4000-8000-000000000001"}',
                '{"kind":"groups","groupIds":[]}',
                '{"kind":"rollbackPlan","sourceId":"R-ABC123"}',
              ),
              json,
            ),
            requesterId: fc.oneof(fc.constant(people.megan.aadObjectId), json),
            justification: fc.oneof(fc.string({ maxLength: 40 }), json),
            ticket: fc.oneof(fc.constantFrom('CHG0012345', 'x](y)'), json),
          },
          { requiredKeys: [] },
        ),
      );
      const verb = fc.oneof(
        fc.constantFrom('approve', 'reject', 'resume', 'rollbackPlan', 'request', 'check', 'board', 'justify'),
        fc.string({ maxLength: 20 }),
      );
      await fc.assert(
        fc.asyncProperty(verb, data, async (v, d) => {
          const r = await s.channel.click(people.megan, `card-${++n}`, v, d as Record<string, unknown>, {
            key: `click-${n}`,
          });
          assert.equal(r.status, 200, JSON.stringify(r.body));
          assert.ok(typeof r.message === 'string' || r.card, JSON.stringify(r.body));
          assert.doesNotMatch(r.message ?? '', /went wrong/, `an internal error for ${v} ${JSON.stringify(d)}`);
        }),
        { numRuns: 80 },
      );
      assert.deepEqual(unhandled, []);
    },
  );

  it(
    'a random invoke (any name, any value, a click with any action) is answered, never 500 or 501; ' +
      'a click always with a message or a card',
    async function () {
      this.timeout(120_000);
      const json = fc.jsonValue({ maxDepth: 2 });
      const name = fc.oneof(
        fc.constantFrom(
          'adaptiveCard/action',
          'application/search',
          'signin/verifyState',
          'signin/tokenExchange',
          'signin/failure',
          'composeExtension/query',
          'composeExtension/submitAction',
          'composeExtension/fetchTask',
          'task/fetch',
          'task/submit',
          'config/fetch',
          'message/submitAction',
          'handoff/action',
          'actionableMessage/executeAction',
          'fileConsent/invoke',
          'healthCheck',
        ),
        fc.string({ maxLength: 30 }),
      );
      const action = fc.oneof(
        json,
        fc.record(
          {
            type: fc.oneof(fc.constant('Action.Execute'), json),
            verb: fc.oneof(fc.constantFrom('approve', 'reject', 'board', 'request', ''), json),
            data: json,
          },
          { requiredKeys: [] },
        ),
      );
      const value = fc.oneof(
        json,
        fc.record({ action, trigger: fc.oneof(fc.constant('manual'), json) }, { requiredKeys: [] }),
      );
      await fc.assert(
        fc.asyncProperty(name, value, async (nm, v) => {
          const r = await s.channel.invoke(people.megan, nm, v as Record<string, unknown>, { key: `inv-${++n}` });
          const seen = `${JSON.stringify(nm)} ${JSON.stringify(v)}: ${r.status} ${JSON.stringify(r.body)}`;
          assert.ok(r.status === 200 || (nm === 'signin/tokenExchange' && r.status === 412), seen);
          if (nm !== 'adaptiveCard/action') return;
          const message = r.body?.type === 'application/vnd.microsoft.activity.message' ? r.body.value : undefined;
          const card = r.body?.type === 'application/vnd.microsoft.card.adaptive' ? r.body.value : undefined;
          assert.ok(typeof message === 'string' || card, seen);
          assert.doesNotMatch(message ?? '', /went wrong/, seen);
        }),
        { numRuns: 120 },
      );
      assert.deepEqual(unhandled, []);
    },
  );
});
