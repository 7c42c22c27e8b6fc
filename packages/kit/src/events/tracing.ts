import {
  context,
  propagation,
  ROOT_CONTEXT,
  trace,
  type Context,
  type TextMapGetter,
} from '@opentelemetry/api';
import type { MsgHdrs } from '@nats-io/transport-node';

/** No official OTel instrumentation exists for NATS (STACK.md): spans and propagation are by hand. */
export const eventsTracer = trace.getTracer('@aftercare/kit/events');

/** The active trace context as W3C headers (`traceparent`, `tracestate`); empty when nothing is traced. */
export function captureTraceHeaders(ctx: Context = context.active()): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagation.inject(ctx, carrier);
  return carrier;
}

/** The trace context stored with an outbox row. */
export const contextFromRecord = (headers: Record<string, string>): Context =>
  propagation.extract(ROOT_CONTEXT, headers);

const natsHeaderGetter: TextMapGetter<MsgHdrs> = {
  keys: (carrier) => carrier.keys(),
  // MsgHdrs.get answers "" for a missing header; the propagator wants undefined.
  get: (carrier, key) => carrier.get(key) || undefined,
};

/** The producer's trace context carried by a received message. */
export const contextFromMessage = (headers: MsgHdrs | undefined): Context =>
  headers ? propagation.extract(ROOT_CONTEXT, headers, natsHeaderGetter) : ROOT_CONTEXT;
