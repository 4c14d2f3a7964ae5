import { Injectable } from '@nestjs/common';

/**
 * Whether this app still wants traffic. startHttpApp calls beginDrain() on SIGTERM: /readyz turns 503 at
 * once so the load balancer stops sending requests, while in-flight and late requests are still served.
 * One per app (not per process), so that tests can run several apps side by side.
 */
@Injectable()
export class ReadinessState {
  private drainingSince: number | undefined;

  get draining(): boolean {
    return this.drainingSince !== undefined;
  }

  beginDrain(): void {
    this.drainingSince ??= Date.now();
  }
}
