/** A request's time clause ("on Saturday at 22:00"): read before anything is looked up; refused, nothing is. */
import type { Clauses } from '../../domain/command-clauses';
import type { ScheduleReading } from '../../services/soa-service';
import { whenRefused } from '../../views/when';
import { sendText } from '../reply';
import type { Turn } from '../deps';

/** The accepted time of the request; undefined without a time clause; null once a refusal was said. */
export async function scheduleOf(t: Omit<Turn, 'who'>, clauses?: Clauses): Promise<ScheduleReading | undefined | null> {
  if (!clauses?.when) return undefined;
  const r = t.bot.service.readSchedule(clauses.when);
  if (r.ok) return r;
  await sendText(t.ctx, whenRefused(r, r.zone));
  return null;
}
