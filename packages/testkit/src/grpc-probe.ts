import { type Client, Metadata, type ServiceDefinition, type ServiceError } from '@grpc/grpc-js';

/**
 * Calls one unary method with the empty message (every field at its default) and the given
 * metadata; resolves to the gRPC status code (0 when it answered).
 */
export function callWithEmptyRequest(
  client: Client,
  method: ServiceDefinition[string],
  entries: Record<string, string> = {},
): Promise<number> {
  const metadata = new Metadata();
  for (const [key, value] of Object.entries(entries)) metadata.set(key, value);
  return new Promise((resolve) => {
    client.makeUnaryRequest(
      method.path,
      () => Buffer.alloc(0),
      method.responseDeserialize,
      {},
      metadata,
      { deadline: Date.now() + 5000 },
      (err: ServiceError | null) => resolve(err?.code ?? 0),
    );
  });
}
