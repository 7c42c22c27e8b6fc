import { EventEmitter } from 'node:events';
import type { handleServerStreamingCall } from '@grpc/grpc-js';
import { healthV1 } from '@aftercare/proto';
import { AppError } from '../errors';

export type ServingStatus = 'SERVING' | 'NOT_SERVING';

/** The whole server's status, by the health protocol's convention. */
export const OVERALL_HEALTH = '';

const ProtoStatus = healthV1.HealthCheckResponse_ServingStatus;
type Request = healthV1.HealthCheckRequest;
type Response = healthV1.HealthCheckResponse;

/**
 * Serving status per fully qualified service name ("" = the whole server), answered by
 * `grpc.health.v1.Health`. Probes and load balancers ask it; the service flips it when it is
 * ready and when it drains.
 */
export class HealthStatus {
  private readonly statuses = new Map<string, ServingStatus>([[OVERALL_HEALTH, 'NOT_SERVING']]);
  private readonly events = new EventEmitter().setMaxListeners(0);

  get(service: string): ServingStatus | undefined {
    return this.statuses.get(service);
  }

  set(service: string, status: ServingStatus): void {
    if (this.statuses.get(service) === status) return;
    this.statuses.set(service, status);
    this.events.emit('change', service, status);
  }

  /** Sets the overall status and every known service's at once (ready after listen, draining). */
  setAll(status: ServingStatus): void {
    for (const service of [...this.statuses.keys()]) this.set(service, status);
  }

  /** Makes `service` known (NOT_SERVING until set), so Check answers for it instead of NOT_FOUND. */
  register(service: string): void {
    if (!this.statuses.has(service)) this.set(service, 'NOT_SERVING');
  }

  /** Marks everything NOT_SERVING and ends open Watch streams, which would otherwise hold up shutdown. */
  close(): void {
    this.setAll('NOT_SERVING');
    this.events.emit('close');
  }

  /** Health.Check: NOT_FOUND for a service nobody registered, as the protocol asks. */
  readonly check = async (request: Request): Promise<Response> => {
    const status = this.get(request.service);
    if (status === undefined) {
      throw new AppError('NOT_FOUND', `Unknown service "${request.service}"`, {
        reason: 'SERVICE_UNKNOWN',
      });
    }
    return { status: ProtoStatus[status] };
  };

  /** Health.Watch: the current status at once, then every change, until the caller or `close()` ends it. */
  readonly watch: handleServerStreamingCall<Request, Response> = (call) => {
    const service = call.request.service;
    const send = (status: ServingStatus | undefined) =>
      call.write({
        status: status === undefined ? ProtoStatus.SERVICE_UNKNOWN : ProtoStatus[status],
      });
    const onChange = (changed: string, status: ServingStatus) => {
      if (changed === service) send(status);
    };
    const stop = () => {
      this.events.off('change', onChange);
      this.events.off('close', end);
    };
    const end = () => {
      stop();
      call.end();
    };
    this.events.on('change', onChange);
    this.events.on('close', end);
    call.on('cancelled', stop);
    send(this.get(service));
  };
}
