/** Use cases: justification and ticket (REQUIRE_JUSTIFICATION, TICKET_PATTERN) on every kind of request. */
import assert from 'node:assert/strict';
import { isCoded } from '../../src/domain/errors';
import type { SoaRequest } from '../../src/domain/request';
import { CardPresenter } from '../../src/views/presenter';
import { anchor, G, people, world, type World } from './fixture';

const RULES = {
  requireJustification: true,
  ticketPattern: 'CHG[0-9]{7}',
  ticketUrlTemplate: 'https://contoso.service-now.com/change_request.do?number={ticket}',
};
const REASON = 'The HR app now reads this group from Entra';

/** The change-control problem a call was refused with. */
const refusedWith = (kind: string) => (e: unknown) =>
  isCoded(e, 'InvalidInput') && (e.details.changeControl as { kind: string }).kind === kind;

describe('use cases: justification and ticket', () => {
  let w: World;
  beforeEach(() => {
    w = world({ settings: { changeControl: RULES } });
  });
  const stored = async () => w.store.list({ limit: 100 });

  it('stores the ticket and the reason given inline, upper-casing a ticket only that form matches', async () => {
    const r = await w.service.submit(G.payroll, 'move', people.alex, anchor, {
      ticket: 'chg0012345',
      justification: REASON,
    });
    assert.deepEqual([r.request?.ticket, r.request?.justification], ['CHG0012345', REASON]);
    assert.deepEqual(await w.service.get(r.request!.id), r.request);
  });

  it('refuses a missing, partial or foreign ticket before anything is read, and stores nothing', async () => {
    const reads = w.directory.calls.length;
    for (const [ticket, kind] of [
      [undefined, 'ticketMissing'],
      ['CHG001234', 'ticketMismatch'],
      // The whole ticket must match, not a part of it.
      ['XCHG00123456', 'ticketMismatch'],
      ['INC-42', 'ticketMismatch'],
    ] as const)
      await assert.rejects(
        w.service.submit(G.payroll, 'move', people.alex, anchor, {
          ...(ticket ? { ticket } : {}),
          justification: REASON,
        }),
        refusedWith(kind),
        String(ticket),
      );
    await assert.rejects(
      w.service.submitPlan({ kind: 'tree', rootId: G.sales }, people.alex, anchor, { justification: REASON }),
      refusedWith('ticketMissing'),
    );
    assert.equal(w.directory.calls.length, reads, 'no Graph read for a refused request');
    assert.deepEqual(await stored(), []);
    assert.deepEqual(w.queue.waiting(), []);
  });

  it('a reason too short is refused; none at all asks for the card, with the id the request will get', async () => {
    await assert.rejects(
      w.service.submit(G.payroll, 'move', people.alex, anchor, { ticket: 'CHG0012345', justification: 'because' }),
      refusedWith('justificationTooShort'),
    );
    await assert.rejects(
      w.service.submit(G.payroll, 'move', people.alex, anchor, {
        ticket: 'CHG0012345',
        justification: 'x'.repeat(1001),
      }),
      refusedWith('justificationTooLong'),
    );
    const r = await w.service.submit(G.payroll, 'move', people.alex, anchor, { ticket: 'CHG0012345' });
    assert.equal(r.request, undefined);
    assert.match(r.needsJustification?.requestId ?? '', /^R-[0-9A-Z]{6}$/);
    assert.deepEqual(await stored(), [], 'nothing stored until the reason comes');

    // The card's submit: the request with that id, once.
    const id = r.needsJustification!.requestId;
    const control = { ticket: 'CHG0012345', justification: REASON, requestId: id };
    const made = await w.service.submit(G.payroll, 'move', people.alex, anchor, control);
    assert.equal(made.request?.id, id);
    const again = await w.service.submit(G.payroll, 'move', people.alex, anchor, control);
    assert.deepEqual([again.request, again.duplicate?.id], [undefined, id]);
    assert.equal((await stored()).length, 1);
  });

  it('plans and the rollback of a plan carry them too', async () => {
    const control = { ticket: 'CHG0000001', justification: REASON };
    const plan = await w.service.submitPlan({ kind: 'tree', rootId: G.sales }, people.alex, anchor, control);
    assert.deepEqual([plan.request?.ticket, plan.request?.justification], ['CHG0000001', REASON]);
    const wave = await w.service.submitPlan(
      { kind: 'wave', label: '1 named groups', groupIds: [G.payroll] },
      people.alex,
      anchor,
      { ticket: 'CHG0000002' },
    );
    assert.ok(wave.needsJustification && !wave.request);
    // A finished move plan: its rollback needs its own reason and ticket.
    const p = plan.request!;
    const steps = p.plan!.steps.map((st) => ({ ...st, state: 'done' as const, switchedAt: p.createdAt }));
    await w.store.update({ ...p, version: p.version + 1, state: 'completed', plan: { ...p.plan!, steps } });
    await assert.rejects(
      w.service.requestPlanRollback(plan.request!.id, people.alex, anchor),
      refusedWith('ticketMissing'),
    );
    const asked = await w.service.requestPlanRollback(plan.request!.id, people.alex, anchor, { ticket: 'CHG0000003' });
    assert.ok(asked.needsJustification && !asked.request, JSON.stringify(asked));
    const rb = await w.service.requestPlanRollback(plan.request!.id, people.alex, anchor, {
      ticket: 'CHG0000003',
      justification: 'The pilot ended; back to AD',
    });
    assert.deepEqual([rb.request?.ticket, rb.request?.justification], ['CHG0000003', 'The pilot ended; back to AD']);
  });

  it('without the settings nothing is required, and what is given is kept', async () => {
    const free = world();
    const bare = await free.service.submit(G.payroll, 'move', people.alex, anchor);
    assert.ok(bare.request && bare.request.ticket === undefined && bare.request.justification === undefined);
    const given = await free.service.submit(G.sales, 'move', people.alex, anchor, {
      ticket: 'INC-42',
      justification: 'HR',
    });
    assert.deepEqual([given.request?.ticket, given.request?.justification], ['INC-42', 'HR']);
  });

  it('the card links the ticket; thread lines, the board, status and reminders name ticket and reason', async () => {
    const r = await w.service.submit(G.payroll, 'move', people.alex, anchor, {
      ticket: 'CHG0012345',
      justification: 'HR [click](https://evil.example) <b>now</b>',
    });
    const req: SoaRequest = r.request!;
    const presenter = new CardPresenter(w.settings.policy, undefined, RULES);
    const card = JSON.stringify(presenter.requestCard(req));
    assert.match(card, /\[CHG0012345\]\(https:\/\/contoso\.service-now\.com\/change_request\.do\?number=CHG0012345\)/);
    assert.doesNotMatch(card, /\]\(https:\/\/evil/, 'a link in the reason stays text');
    const rejected = { ...req, state: 'rejected' as const, approver: people.megan, reason: 'no' };
    const line = presenter.threadUpdate(rejected)?.text ?? '';
    assert.match(line, / · ticket CHG0012345 · because HR \[click\]\u200b\(https:\/\/evil\.example\) &lt;b&gt;now/);
    assert.match(presenter.reminder(req).text ?? '', /ticket CHG0012345 · because HR/);
    for (const shown of [
      presenter.statusCard('Yours', [req], '', true),
      presenter.boardCard('k', [req], [], req.createdAt),
    ])
      assert.match(JSON.stringify(shown), /FIN-Payroll · ticket CHG0012345 · because HR/);
  });
});
