import 'reflect-metadata';
import { CommandFactory } from 'nest-commander';
import { CliError, oneLine } from './cli-error';
import { CliModule } from './cli.module';

/**
 * billing-events: export, query, replay, rebuild and stats over the service's event history.
 * Every failure ends as one line on stderr and a non-zero exit code, never a stack trace.
 */
function fail(error: unknown): void {
  process.stderr.write(`billing-events: ${oneLine(error)}\n`);
  process.exitCode = error instanceof CliError ? error.exitCode : 1;
}

async function main(): Promise<void> {
  // commander names the program after the script it runs (main.js); usage should say the bin's name.
  process.argv[1] = 'billing-events';
  await CommandFactory.run(CliModule, {
    cliName: 'billing-events',
    logger: false,
    serviceErrorHandler: fail,
    outputConfiguration: {
      // commander's own usage errors (unknown option, missing value) on one line too.
      outputError: (message, write) =>
        write(
          `billing-events: ${message
            .replace(/^error: /, '')
            .replace(/\s*\n\s*/g, ' ')
            .trim()}\n`,
        ),
    },
  });
}

main().catch(fail);
