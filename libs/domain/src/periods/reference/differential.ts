import { DateTime } from 'luxon';
import { toIsoInstant } from '../../calendar/calendar';
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

/** The reference's answers, its period sequence computed once for the periods and the lookup. */
function referenceAnswers({ terms, intervals, probe }: RandomSchedule) {
  const sequence = outcome(() => referenceEngine.periodSequence(terms));
  const fromSequence = (answer: (sequence: referenceEngine.PeriodSequence) => unknown) =>
    sequence.ok
      ? outcome(() => answer(sequence.value as referenceEngine.PeriodSequence))
      : sequence;
  return {
    periods: fromSequence((s) => s.spans(0, s.count).map(referenceEngine.formatSpan)),
    billing: outcome(() => reference.billingPeriods(terms, intervals)),
    located: fromSequence((s) => {
      const index = s.indexAt(DateTime.fromMillis(probe, { zone: terms.timezone }));
      const [span] = s.spans(index, index + 1);
      return [s.count, index, toIsoInstant(span.start), toIsoInstant(span.end)];
    }),
  };
}

/** The integer engine's answers for one schedule: periods, billing periods, count and a lookup. */
function fastAnswers({ terms, intervals, probe }: RandomSchedule) {
  return {
    periods: outcome(() => computePeriods(terms)),
    billing: outcome(() => billingPeriods(terms, intervals)),
    located: outcome(() => {
      const sequence = periodSequence(terms);
      const index = sequence.indexAt(probe);
      const [span] = sequence.spans(index, index + 1);
      return [sequence.count, index, formatInstant(span.start), formatInstant(span.end)];
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
    const [fast, slow] = [fastAnswers(schedule), referenceAnswers(schedule)];
    if (JSON.stringify(fast) !== JSON.stringify(slow)) {
      return { seed, case: n, schedule, fast, reference: slow };
    }
  }
  return null;
}
