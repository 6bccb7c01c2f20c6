/**
 * An error the operator can act on: printed as one line on stderr, never with a stack trace.
 * Anything else that escapes a command is still reduced to one line (see main.ts).
 */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** A value commander accepted but the command cannot use; exits 1 like commander's own errors. */
export const badArgument = (message: string) => new CliError(message);

/** One line describing any thrown value, for stderr. */
export function oneLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const first = message.split('\n').find((line) => line.trim() !== '') ?? 'unknown error';
  return first.trim();
}
