/**
 * Ends a Jest run with one plain line, `Tests: N passed, N failed, N skipped`, which CI's
 * log reader understands (Jest's own summary says "N total" instead of "N failed"). With
 * TEST_SUMMARY_FILE set, the line is also written there, so .ci/run can repeat it as its own
 * last line after the steps that follow the tests.
 */
const { writeFileSync } = require('node:fs');

class PlainSummaryReporter {
  onRunComplete(_contexts, results) {
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    const line = `Tests: ${results.numPassedTests} passed, ${failed} failed, ${results.numPendingTests + results.numTodoTests} skipped`;
    process.stdout.write(`\n${line}\n`);
    if (process.env.TEST_SUMMARY_FILE) writeFileSync(process.env.TEST_SUMMARY_FILE, `${line}\n`);
  }
}

module.exports = PlainSummaryReporter;
