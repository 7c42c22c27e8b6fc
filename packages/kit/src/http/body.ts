import type { IncomingMessage } from 'node:http';

export const DEFAULT_BODY_LIMIT_BYTES = 1024 * 1024;

/** Why a request body was refused; the server turns it into the HTTP status. */
export class BodyError extends Error {
  constructor(
    readonly status: 400 | 413,
    readonly reason: 'INVALID_JSON' | 'BODY_TOO_LARGE',
    message: string,
  ) {
    super(message);
    this.name = 'BodyError';
  }
}

/**
 * Reads the body up to `limit` bytes. A declared Content-Length over the limit is refused before
 * reading a byte; a chunked body is refused as soon as it crosses the limit.
 */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw tooLarge(limit);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/**
 * JSON bodies are parsed; anything else is passed on as absent, and Apollo answers it (400, or its
 * CSRF refusal for the simple content types a browser form can send).
 */
export function parseBody(raw: Buffer, contentType: string | undefined): unknown {
  if (raw.length === 0 || !isJson(contentType)) return undefined;
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw new BodyError(400, 'INVALID_JSON', 'Request body is not valid JSON');
  }
}

function isJson(contentType: string | undefined): boolean {
  return contentType?.split(';')[0]?.trim().toLowerCase() === 'application/json';
}

const tooLarge = (limit: number) =>
  new BodyError(413, 'BODY_TOO_LARGE', `Request body exceeds the limit of ${limit} bytes`);
