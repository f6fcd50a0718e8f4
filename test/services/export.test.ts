import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isCoded } from '../../src/domain/errors';
import { SqliteRequestStore } from '../../src/infra/storage/sqlite-store';
import { EXPORT_HEADER, exportCsv, exportRows } from '../../src/services/export';
import { toCsv } from '../../src/domain/csv';
import { parseCsv } from '../support/csv';
import { ALEX, MEGAN, singleMove, treePlan } from './export-fixtures';

const col = (row: unknown[], name: string) => row[EXPORT_HEADER.indexOf(name)];

describe('services: audit export', () => {
  it('one row for a single-group request, with the request-level columns', () => {
    const { header, rows } = exportRows([singleMove()]);
    assert.deepEqual(header, EXPORT_HEADER);
    assert.equal(rows.length, 1);
    const r = rows[0]!;
    assert.equal(r.length, header.length);
    assert.deepEqual(Object.fromEntries(header.map((h, i) => [h, r[i]])), {
      'request id': 'R-7KQ2MX',
      'plan label': '',
      'step number': '',
      action: 'move',
      'group id': 'a1000000-0000-4000-8000-000000000001',
      'group name': 'FIN-Payroll, EMEA',
      'requester name': 'Alex Wilber',
      'requester id': ALEX.id,
      'approver name': 'Megan Bowen',
      'approver id': MEGAN.id,
      'requested at': '2026-03-02T09:00:00.000Z',
      'decided at': '2026-03-02T09:10:58.000Z',
      'executed at': '2026-03-02T09:11:05.000Z',
      'final state': 'completed',
      'step state': '',
      'result detail': undefined,
      'audit record id': 'Directory_7d1c0b4e',
      'audit activity': 'Update group',
      'audit time': '2026-03-02T09:12:31.000Z',
      'audit initiated by': 'Megan Bowen (megan@contoso.com)',
      'correlation id': 'c0ffee00-1111-4222-8333-444455556666',
      justification: undefined,
      ticket: undefined,
      approvals: undefined,
      'scheduled for': undefined,
      'trial ends': undefined,
      'restore point': undefined,
    });
  });

  it('the justification and the ticket on every row of the request, defused like other text from people', () => {
    const single = singleMove({ justification: '=HYPERLINK("https://evil.example")', ticket: 'CHG0012345' });
    const [r] = exportRows([single]).rows;
    assert.equal(col(r!, 'justification'), '=HYPERLINK("https://evil.example")');
    assert.equal(col(r!, 'ticket'), 'CHG0012345');
    const plan = exportRows([{ ...treePlan(), justification: 'The HR app now reads them', ticket: 'INC-42' }]).rows;
    assert.ok(plan.length > 1);
    for (const row of plan) {
      assert.equal(col(row, 'justification'), 'The HR app now reads them');
      assert.equal(col(row, 'ticket'), 'INC-42');
    }
    const [header, first] = parseCsv(toCsv(EXPORT_HEADER, exportRows([single]).rows));
    assert.equal(first![header!.indexOf('justification')], '\'=HYPERLINK("https://evil.example")');
    assert.equal(first![header!.indexOf('ticket')], 'CHG0012345');
  });

  it('every approval with its time (and stage when there are two), the scheduled time and the trial end', () => {
    const megan = { at: '2026-03-02T09:10:00.000Z', by: MEGAN, stage: 1 as const };
    const adele = { id: 'u-adele', name: 'Adele Vance' };
    const twoStage = singleMove({
      approvals: [megan, { at: '2026-03-02T09:10:58.000Z', by: adele, stage: 2 }],
      quorum: { approvals: 1, secondStage: { groupId: 'g-cab', approvals: 1 } },
      scheduledFor: '2026-03-07T21:00:00.000Z',
      trial: { text: 'for 7 days', lengthMs: 7 * 86_400_000, endsAt: '2026-03-14T21:00:05.000Z' },
    });
    const [r] = exportRows([twoStage]).rows;
    assert.equal(
      col(r!, 'approvals'),
      'Megan Bowen 2026-03-02T09:10:00.000Z (stage 1); Adele Vance 2026-03-02T09:10:58.000Z (stage 2)',
    );
    assert.equal(col(r!, 'scheduled for'), '2026-03-07T21:00:00.000Z');
    assert.equal(col(r!, 'trial ends'), '2026-03-14T21:00:05.000Z');
    const own = singleMove({ approvals: [{ ...megan, by: ALEX, selfApproved: true }] });
    assert.equal(
      col(exportRows([own]).rows[0]!, 'approvals'),
      'Alex Wilber 2026-03-02T09:10:00.000Z (their own request)',
    );
    for (const row of exportRows([{ ...treePlan(), approvals: [megan] }]).rows)
      assert.equal(col(row, 'approvals'), 'Megan Bowen 2026-03-02T09:10:00.000Z');
  });

  it('a rejected request: decided at the rejection, the reason as detail, nothing executed', () => {
    const rejected = singleMove({
      id: 'R-REJ777',
      state: 'rejected',
      audit: undefined,
      switchedAt: undefined,
      reason: 'Not during the payroll run.',
      history: [
        { at: '2026-03-02T09:00:00.000Z', state: 'awaiting_approval' },
        { at: '2026-03-02T10:00:00.000Z', state: 'rejected', by: 'Megan Bowen', note: 'Not during the payroll run.' },
      ],
    });
    const [r] = exportRows([rejected]).rows;
    assert.equal(col(r!, 'decided at'), '2026-03-02T10:00:00.000Z');
    assert.equal(col(r!, 'final state'), 'rejected');
    assert.equal(col(r!, 'result detail'), 'Not during the payroll run.');
    assert.equal(col(r!, 'executed at'), undefined);
    assert.equal(col(r!, 'audit record id'), undefined);
  });

  it('one row per step of a plan, each with its own state, time, audit entry and error', () => {
    const { rows } = exportRows([treePlan()]);
    assert.equal(rows.length, 3);
    assert.deepEqual(
      rows.map((r) => col(r, 'step number')),
      [1, 2, 3],
    );
    assert.deepEqual(
      rows.map((r) => col(r, 'request id')),
      ['R-PL4N3T', 'R-PL4N3T', 'R-PL4N3T'],
    );
    assert.deepEqual(
      rows.map((r) => col(r, 'plan label')),
      Array(3).fill('the tree under Sales'),
    );
    assert.deepEqual(
      rows.map((r) => col(r, 'group name')),
      ['Sales-DACH', '=Sales-EU', 'Sales'],
    );
    assert.deepEqual(
      rows.map((r) => col(r, 'group id')),
      [
        'b2000000-0000-4000-8000-000000000011',
        'b2000000-0000-4000-8000-000000000012',
        'b2000000-0000-4000-8000-000000000010',
      ],
    );
    assert.deepEqual(
      rows.map((r) => col(r, 'final state')),
      ['failed', 'failed', 'failed'],
    );
    assert.deepEqual(
      rows.map((r) => col(r, 'step state')),
      ['done', 'failed', 'untouched'],
    );
    assert.deepEqual(
      rows.map((r) => col(r, 'executed at')),
      ['2026-03-04T14:02:10.000Z', undefined, undefined],
    );
    assert.deepEqual(
      rows.map((r) => col(r, 'audit record id')),
      ['Directory_aa11', undefined, undefined],
    );
    assert.deepEqual(
      rows.map((r) => col(r, 'correlation id')),
      ['0a0a0a0a-1111-4222-8333-000000000001', undefined, undefined],
    );
    assert.deepEqual(
      rows.map((r) => col(r, 'result detail')),
      [
        undefined,
        'Graph refused the change: 403 Forbidden, "Insufficient privileges"',
        'Step 2 of 3 (=Sales-EU) failed; the rest was left untouched.',
      ],
    );
    for (const r of rows) {
      assert.equal(col(r, 'requester name'), 'Alex Wilber');
      assert.equal(col(r, 'approver id'), MEGAN.id);
      assert.equal(col(r, 'requested at'), '2026-03-04T14:00:00.000Z');
      assert.equal(col(r, 'decided at'), '2026-03-04T14:01:59.000Z');
    }
  });

  describe('exportCsv on a SQLite store', () => {
    let dir: string;
    let store: SqliteRequestStore;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'soa-export-'));
      store = new SqliteRequestStore(join(dir, 'requests.sqlite'));
    });
    afterEach(async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('lists requests created in [from, to), archived ones included, oldest first, as parseable CSV', async () => {
      const before = singleMove({
        id: 'R-BEF0RE',
        createdAt: '2026-02-28T23:59:59.999Z',
        updatedAt: '2026-02-28T23:59:59.999Z',
      });
      const atStart = singleMove({
        id: 'R-START2',
        createdAt: '2026-03-01T00:00:00.000Z',
        updatedAt: '2026-03-01T00:10:00.000Z',
      });
      const single = singleMove();
      const plan = treePlan();
      const open = singleMove({
        id: 'R-0PEN22',
        state: 'awaiting_approval',
        approver: undefined,
        audit: undefined,
        switchedAt: undefined,
        createdAt: '2026-03-05T08:00:00.000Z',
        updatedAt: '2026-03-05T08:00:00.000Z',
        history: [{ at: '2026-03-05T08:00:00.000Z', state: 'awaiting_approval' }],
      });
      const atEnd = singleMove({
        id: 'R-END222',
        createdAt: '2026-04-01T00:00:00.000Z',
        updatedAt: '2026-04-01T00:00:00.000Z',
      });
      for (const r of [plan, open, atEnd, single, before, atStart]) await store.create(r);
      // Finished requests last changed before 2026-03-03 leave the working set.
      assert.equal(await store.archive('2026-03-03T00:00:00.000Z'), 3);
      assert.deepEqual(
        (await store.list({})).map((r) => r.id).sort(),
        [atEnd.id, open.id, plan.id].sort(),
        'archived requests are not listed by default',
      );

      const { csv, count } = await exportCsv(store, { from: '2026-03-01', to: '2026-04-01T00:00:00Z' });
      assert.equal(count, 4);
      const [header, ...rows] = parseCsv(csv);
      assert.deepEqual(header, EXPORT_HEADER);
      const id = EXPORT_HEADER.indexOf('request id');
      assert.deepEqual(
        rows.map((r) => r[id]),
        [atStart.id, single.id, plan.id, plan.id, plan.id, open.id],
      );
      const name = EXPORT_HEADER.indexOf('group name');
      assert.equal(rows[1]![name], 'FIN-Payroll, EMEA');
      assert.equal(rows[3]![name], "'=Sales-EU", 'a formula-like group name is defused');
      assert.equal(
        rows[3]![EXPORT_HEADER.indexOf('result detail')],
        'Graph refused the change: 403 Forbidden, "Insufficient privileges"',
      );
      assert.equal(rows[3]![EXPORT_HEADER.indexOf('step number')], '2');
      assert.equal(rows[5]![EXPORT_HEADER.indexOf('approver name')], '');
    });

    it('an empty range gives the header only; a bad range is refused', async () => {
      const { csv, count } = await exportCsv(store, { from: '2020-01-01', to: '2020-02-01' });
      assert.equal(count, 0);
      assert.deepEqual(parseCsv(csv), [EXPORT_HEADER]);
      await assert.rejects(exportCsv(store, { from: 'last week', to: '2020-02-01' }), (e) =>
        isCoded(e, 'InvalidInput'),
      );
      await assert.rejects(exportCsv(store, { from: '2020-02-01', to: '2020-01-01' }), (e) =>
        isCoded(e, 'InvalidInput'),
      );
    });
  });
});
