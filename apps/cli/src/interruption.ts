import { Injectable, OnApplicationShutdown } from '@nestjs/common';

/**
 * Ctrl-C asks the running command to stop after the batch in hand, so it can flush what it
 * wrote and print the cursor to resume from. A second Ctrl-C exits at once.
 */
@Injectable()
export class Interruption implements OnApplicationShutdown {
  private requested = false;
  private readonly onSignal = () => {
    if (this.requested) process.exit(130);
    this.requested = true;
  };

  constructor() {
    process.on('SIGINT', this.onSignal);
  }

  get stopRequested(): boolean {
    return this.requested;
  }

  onApplicationShutdown(): void {
    process.off('SIGINT', this.onSignal);
  }
}

/** Interrupted commands exit 130 (128 + SIGINT), as shells report a Ctrl-C. */
export const INTERRUPTED_EXIT_CODE = 130;
