import { Observable, Subject } from 'rxjs';
import type { StoredEvent } from '@app/event-store';
import type { EventPublisher } from './event-publisher.port';

/** The embedded default for KAFKA_BROKERS unset: subscribers in this process see every committed event. */
export class InProcessEventBus implements EventPublisher {
  private readonly subject = new Subject<StoredEvent>();
  readonly events$: Observable<StoredEvent> = this.subject.asObservable();

  async publish(events: readonly StoredEvent[]): Promise<void> {
    for (const event of events) this.subject.next(event);
  }
}
