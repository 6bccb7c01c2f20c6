import { DateTime } from 'luxon';
import { formatInstant } from '../../calendar/zone-clock';
import { billingPeriods, computePeriods, periodSequence } from '..';
import * as reference from './amounts';
import * as referenceEngine from './period-engine';
import { randomSchedule, randomSource, type RandomSchedule } from './random-schedules';

type Outcome = { ok: true; value: unknown } | { ok: false; error: string };

function outcome(compute: () => unknown): Outcome {
  try {
    return { ok: true, value: compute() };
  } catch (error) {
    return { ok: false, error: String(error) };
  }
}

/** What each engine answers for one schedule: periods, billing periods, count and a lookup. */
function answers(engine: 'fast' | 'reference', { terms, intervals, probe }: RandomSchedule) {
  const at = DateTime.fromMillis(probe, { zone: terms.timezone });
  return engine === 'fast'
    ? {
        periods: outcome(() => computePeriods(terms)),
        billing: outcome(() => billingPeriods(terms, intervals)),
        located: outcome(() => {
          const sequence = periodSequence(terms);
          const index = sequence.indexAt(probe);
          const [span] = sequence.spans(index, index + 1);
          return [sequence.count, index, formatInstant(span.start), formatInstant(span.end)];
        }),
      }
    : {
        periods: outcome(() => referenceEngine.computePeriods(terms)),
        billing: outcome(() => reference.billingPeriods(terms, intervals)),
        located: outcome(() => {
          const sequence = referenceEngine.periodSequence(terms);
          const index = sequence.indexAt(at);
          const [span] = sequence.spans(index, index + 1);
          return [sequence.count, index, span.start.toUTC().toISO(), span.end.toUTC().toISO()].map(
            (v) => (typeof v === 'string' ? v.replace('.000Z', 'Z') : v),
          );
        }),
      };
}

/**
 * Runs `cases` random schedules from `seed` through both engines; returns the first case whose
 * answers differ (with both answers), or null when all agree.
 */
export function firstDifference(seed: number, cases: number) {
  const random = randomSource(seed);
  for (let n = 0; n < cases; n++) {
    const schedule = randomSchedule(random);
    const [fast, slow] = [answers('fast', schedule), answers('reference', schedule)];
    if (JSON.stringify(fast) !== JSON.stringify(slow)) {
      return { seed, case: n, schedule, fast, reference: slow };
    }
  }
  return null;
}
