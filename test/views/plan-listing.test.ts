/** A plan's full listing: as few messages as Teams' size limit allows, every group once, in order. */
import assert from 'node:assert/strict';
import type { Plan } from '../../src/domain/request-plan';
import { LISTING_BYTES, planListing } from '../../src/views/plan-card';

/** Teams' count: 2 bytes per UTF-16 code unit of the activity's JSON. */
const teamsBytes = (activity: unknown) => 2 * JSON.stringify(activity).length;

function plan(steps: number, skipped = 0): Plan {
  const id = (i: number) => `a1000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
  return {
    kind: 'tree',
    label: 'the tree under BIG-Root-1',
    steps: Array.from({ length: steps }, (_, i) => ({
      groupId: id(i),
      groupName: `BIG-Root-1-${i}-Ünïcødé 🚀`,
      depth: 0,
      state: 'pending' as const,
      warnings: i % 7 === 0 ? ['mail-enabled: moves as a distribution group would not'] : [],
    })),
    skipped: Array.from({ length: skipped }, (_, i) => ({
      groupId: id(10_000 + i),
      groupName: `Skipped-${i}`,
      reason: 'already cloud-managed',
    })),
    cycleGroups: [],
    sharedGroups: [],
  };
}

describe('views: the plan listing', () => {
  it('packs 2,000 steps into the fewest messages under the size limit, nothing cut', () => {
    const messages = planListing({ id: 'R-ABC123', plan: plan(2_000, 150) });
    const activity = (text: string) => ({ type: 'message', text, textFormat: 'markdown', conversation: { id: 'x' } });
    for (const m of messages) assert.ok(teamsBytes(activity(m.text)) < 80 * 1024, `${teamsBytes(activity(m.text))}`);
    const steps = messages.filter((m) => m.text.startsWith('Plan R-ABC123, steps '));
    const lines = steps.flatMap((m) => m.text.split('\n\n').slice(1));
    assert.equal(lines.length, 2_000);
    assert.deepEqual(
      lines.map((l) => Number(/^(\d+)\. /.exec(l)![1])),
      Array.from({ length: 2_000 }, (_, i) => i + 1),
    );
    // As few as the size allows: every message but the last is nearly full.
    const total = lines.reduce((n, l) => n + 2 * (JSON.stringify(l).length + 2), 0);
    assert.equal(steps.length, Math.ceil(total / LISTING_BYTES));
    assert.match(steps[0]!.text, /^Plan R-ABC123, steps 1–\d+ of 2000:/);
    const skipped = messages.filter((m) => m.text.startsWith('Plan R-ABC123, skipped '));
    assert.equal(skipped.length, 1);
    assert.equal(skipped[0]!.text.split('\n\n').length, 151);
  });

  it('a short plan is one message', () => {
    const messages = planListing({ id: 'R-ABC123', plan: plan(40) });
    assert.equal(messages.length, 1);
    assert.match(messages[0]!.text, /^Plan R-ABC123, steps 1–40 of 40:/);
  });
});
