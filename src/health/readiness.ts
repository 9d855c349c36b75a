import { Injectable, OnApplicationShutdown, BeforeApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';

export type ReadinessState = 'starting' | 'ready' | 'draining';

/**
 * Whether the replica should receive traffic: not before it is bootstrapped, not while it
 * drains at shutdown. Liveness checks nothing external.
 */
@Injectable()
export class Readiness implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  private state: ReadinessState = 'starting';

  onApplicationBootstrap(): void {
    this.state = 'ready';
  }

  /** Shutdown has begun (the signal, before Nest's own shutdown hooks run). */
  drain(): void {
    this.state = 'draining';
  }

  beforeApplicationShutdown(): void {
    this.state = 'draining';
  }

  onApplicationShutdown(): void {
    this.state = 'draining';
  }

  get current(): ReadinessState {
    return this.state;
  }
}
