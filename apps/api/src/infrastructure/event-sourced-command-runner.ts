import { Inject, Injectable } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Counter } from 'prom-client';
import { NotFound } from '@app/domain';
import {
  EVENT_STORE,
  VersionConflictError,
  type EventStore,
  type StoredEvent,
} from '@app/event-store';
import { EVENT_PUBLISHER, type EventPublisher } from '@app/messaging';
import { ProjectionGapError } from '@app/read-models';
import { EVENTS_APPENDED } from '../common/metrics/app-metrics';
import type { CommandMeta } from '../common/request/request-context';
import { Clock, isoNow } from './clock';
import { newEventId } from './ids';
import { KeyedQueue } from './keyed-queue';

/** What a pure decider emits: the event's type, payload version and data. */
export interface DecidedEvent {
  type: string;
  schemaVersion: number;
  data: unknown;
}

/** One aggregate's stream, its fold and its decision, as the runner needs them. */
export interface StreamCommand<S, E extends DecidedEvent> {
  streamId: string;
  streamType: string;
  initialState: S;
  evolve: (state: S, event: E, version: number) => S;
  /** Pure: the events the command produces against `state` at time `now`, or a domain error. */
  decide: (state: S, now: string) => E[];
  /**
   * Brings the read models up to date before the command answers (read-your-writes).
   * `folded` is the state after `events` when the runner has it (it folds every command's
   * events once), so a read model can store it instead of folding them again.
   */
  project: (events: StoredEvent[], folded?: S) => Promise<void>;
  /** Decide only: nothing is appended, projected or published. */
  dryRun?: boolean;
}

export interface StreamCommandOutcome<S, E> {
  state: S;
  /** The stream version after the command. */
  version: number;
  /** What decide produced (also on a dry run). */
  decided: E[];
  /** What was stored; empty on a dry run or when nothing changed. */
  events: StoredEvent[];
}

/**
 * Writers in this process are queued per stream, so they never race each other; writers in
 * other instances are serialised by the store's optimistic concurrency: a conflict re-decides
 * on fresh state, with a short jittered back-off. With If-Match, a conflict is the answer.
 */
const MAX_ATTEMPTS = 20;
const backOff = (attempt: number) =>
  new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(5 * 2 ** attempt, 200)));

/** The one write path of every aggregate: read the stream, fold, decide, append, project, publish. */
@Injectable()
export class EventSourcedCommandRunner {
  private readonly queues = new KeyedQueue();
  private readonly folded = new FoldedStreams();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(EVENT_PUBLISHER) private readonly publisher: EventPublisher,
    private readonly clock: Clock,
    @InjectMetric(EVENTS_APPENDED) private readonly appended: Counter<'type'>,
  ) {}

  run<S, E extends DecidedEvent>(
    command: StreamCommand<S, E>,
    meta: CommandMeta,
  ): Promise<StreamCommandOutcome<S, E>> {
    return this.queues.run(command.streamId, () => this.decideAndAppend(command, meta));
  }

  private async decideAndAppend<S, E extends DecidedEvent>(
    command: StreamCommand<S, E>,
    meta: CommandMeta,
  ): Promise<StreamCommandOutcome<S, E>> {
    for (let attempt = 1; ; attempt++) {
      const { state, version, tenantId } = await this.currentState(command);
      if (tenantId !== undefined && tenantId !== meta.tenantId) throw new NotFound('not found');
      if (meta.expectedVersion !== undefined && meta.expectedVersion !== version) {
        throw new VersionConflictError(command.streamId, meta.expectedVersion, version);
      }
      const now = isoNow(this.clock);
      const decided = command.decide(state, now);
      if (decided.length === 0 || command.dryRun) return { state, version, decided, events: [] };
      try {
        const { events } = await this.store.append({
          streamId: command.streamId,
          streamType: command.streamType,
          tenantId: meta.tenantId,
          expectedVersion: version,
          events: decided.map((event) => ({
            id: newEventId(),
            type: event.type,
            schemaVersion: event.schemaVersion,
            occurredAt: now,
            data: event.data,
            metadata: {
              correlationId: meta.requestId,
              causationId: meta.causationId ?? meta.requestId,
              ...(meta.idempotencyKey ? { idempotencyKey: meta.idempotencyKey } : {}),
            },
          })),
        });
        for (const event of events) this.appended.inc({ type: event.type });
        const next = fold(command, state, events);
        await this.project(command, events, next);
        await this.publisher.publish(events);
        const last = events.at(-1)?.version ?? version;
        this.folded.remember(command.streamId, {
          state: next,
          version: last,
          tenantId: meta.tenantId,
        });
        return { state: next, version: last, decided, events };
      } catch (error) {
        const retry =
          error instanceof VersionConflictError &&
          meta.expectedVersion === undefined &&
          attempt < MAX_ATTEMPTS;
        if (!retry) throw error;
        await backOff(attempt);
      }
    }
  }

  /**
   * A read model that missed an event (a crash between append and projection) refuses the next
   * one with a gap; the stream just read holds everything it lacks.
   */
  private async project<S, E extends DecidedEvent>(
    command: StreamCommand<S, E>,
    events: StoredEvent[],
    folded: S,
  ): Promise<void> {
    try {
      await command.project(events, folded);
    } catch (error) {
      if (!(error instanceof ProjectionGapError)) throw error;
      // The stream read now may hold other instances' later events too: no folded state.
      await command.project(await this.store.readStream(command.streamId));
    }
  }

  /**
   * The stream's state: the last fold this instance made of it (if any) plus the events
   * appended since, read from the store, so a command on a long stream (the billing-period
   * task closing thousands of periods slice by slice) folds only what is new. Events from
   * other instances are among those read, so the state is as current as a full fold.
   */
  private async currentState<S, E extends DecidedEvent>(
    command: StreamCommand<S, E>,
  ): Promise<FoldedStream<S>> {
    const known = this.folded.recall<S>(command.streamId);
    const stored = await this.store.readStream(
      command.streamId,
      known ? { fromVersion: known.version + 1 } : undefined,
    );
    const folded: FoldedStream<S> = {
      state: await foldInSlices(command.evolve, known ? known.state : command.initialState, stored),
      version: stored.at(-1)?.version ?? known?.version ?? 0,
      tenantId: known?.tenantId ?? stored[0]?.tenantId,
    };
    if (folded.version > 0) this.folded.remember(command.streamId, folded);
    return folded;
  }
}

interface FoldedStream<S> {
  state: S;
  version: number;
  /** The stream's owner; undefined for a stream that does not exist yet. */
  tenantId: string | undefined;
}

/**
 * The most recently used streams' folded states. States are values (evolve never changes its
 * input, stored events are frozen), so sharing one between commands is safe.
 */
class FoldedStreams {
  private static readonly CAPACITY = 64;
  private readonly entries = new Map<string, FoldedStream<unknown>>();

  recall<S>(streamId: string): FoldedStream<S> | undefined {
    return this.entries.get(streamId) as FoldedStream<S> | undefined;
  }

  remember<S>(streamId: string, folded: FoldedStream<S>): void {
    this.entries.delete(streamId);
    this.entries.set(streamId, folded);
    if (this.entries.size > FoldedStreams.CAPACITY) {
      this.entries.delete(this.entries.keys().next().value as string);
    }
  }
}

/**
 * A fold yields to the event loop once it has run this long, so a long stream never holds the
 * process (events differ too much in cost for a fixed count per turn).
 */
export const FOLD_TURN_MS = 10;

export async function foldInSlices<S, E>(
  evolve: (state: S, event: E, version: number) => S,
  state: S,
  events: readonly StoredEvent[],
): Promise<S> {
  let current = state;
  let turnStarted = performance.now();
  for (const event of events) {
    if (performance.now() - turnStarted > FOLD_TURN_MS) {
      await yieldToEventLoop();
      turnStarted = performance.now();
    }
    current = evolve(current, event as unknown as E, event.version);
  }
  return current;
}

function fold<S, E extends DecidedEvent>(
  command: StreamCommand<S, E>,
  state: S,
  events: readonly StoredEvent[],
): S {
  return events.reduce(
    (current, event) => command.evolve(current, event as unknown as E, event.version),
    state,
  );
}
