import type { CorsOptions } from '@aftercare/kit';

/** Ten minutes: browsers ask again soon after the allow-list changes (Chromium caps at 2 h). */
export const DEFAULT_CORS_MAX_AGE_S = 600;

/**
 * What a browser front end sends beside the body: the JSON content type and the bearer token;
 * Apollo's CSRF prevention wants one of its two headers on GET and non-JSON requests (Apollo
 * Client sends them); `traceparent`/`tracestate` join the browser's traces to ours.
 */
export const CORS_ALLOWED_HEADERS = [
  'content-type',
  'authorization',
  'apollo-require-preflight',
  'x-apollo-operation-name',
  'traceparent',
  'tracestate',
] as const;

/** A 429's `Retry-After` is useless to a browser app that may not read it. */
export const CORS_EXPOSED_HEADERS = ['retry-after'] as const;

export interface CorsSettings {
  /** Exact origins (`https://dispatch.example.com`, `http://localhost:5173`) allowed to call. */
  origins: readonly string[];
  maxAgeSeconds?: number;
}

/**
 * Problems of one `CORS_ORIGINS` entry, or undefined when it is an exact origin: a scheme, a host
 * and maybe a port, nothing else. `*` is refused: callers are named, so a wildcard is never
 * needed, and it would open the graph to every page a logged-in user happens to visit.
 */
export function originProblem(entry: string): string | undefined {
  if (entry === '*') return '"*" is not accepted: list the origins of the front ends';
  let url: URL;
  try {
    url = new URL(entry);
  } catch {
    return 'each entry must be an origin such as https://app.example.com';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    return 'each entry must be an http or https origin';
  if (url.origin !== entry)
    return `each entry must be an exact origin (scheme, lower-case host, port only when not the default; no path or trailing slash), such as ${url.origin}`;
  return undefined;
}

/**
 * The `cors` package's options for the gateway: only the listed origins, GET and POST, no
 * credentials (tokens travel in `Authorization`, never in cookies), preflights cached `maxAge`.
 */
export function corsOptions(settings: CorsSettings): CorsOptions {
  return {
    origin: [...settings.origins],
    methods: ['GET', 'POST'],
    allowedHeaders: [...CORS_ALLOWED_HEADERS],
    exposedHeaders: [...CORS_EXPOSED_HEADERS],
    credentials: false,
    maxAge: settings.maxAgeSeconds ?? DEFAULT_CORS_MAX_AGE_S,
  };
}
