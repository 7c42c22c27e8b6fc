import type { IncomingMessage } from 'node:http';
import { HeaderMap } from '@apollo/server';
import { GraphQLError } from 'graphql';
import ipaddr from 'ipaddr.js';
import { TokenBucket } from 'limiter';
import { LRUCache } from 'lru-cache';
import proxyaddr from 'proxy-addr';

/** A token bucket: `burst` requests at once, refilled at `perSecond`. */
export interface BucketSettings {
  perSecond: number;
  burst: number;
}

/**
 * Proxies whose `X-Forwarded-For` entries are believed: how many sit in front of the gateway
 * (hops), or their addresses and subnets (`10.0.0.0/8`, `loopback`, `uniquelocal`, …). Without
 * it the header is ignored: anyone can write it.
 */
export type TrustedProxies = number | readonly string[];

export interface RateLimitSettings {
  /** Per verified user id. */
  user: BucketSettings;
  /** Per client address (an IPv6 client by its /64, the smallest block a client is given). */
  address: BucketSettings;
  trustedProxies?: TrustedProxies;
  /** Callers tracked at once per kind; the least recently seen is forgotten beyond it. */
  maxTracked?: number;
}

export interface RateLimiter {
  /** Takes a request from the client address's bucket; throws RATE_LIMITED (HTTP 429) when empty. */
  admitAddress(req: IncomingMessage): void;
  /** Takes a request from the user's bucket; throws RATE_LIMITED (HTTP 429) when empty. */
  admitUser(userId: string): void;
}

const DEFAULT_MAX_TRACKED = 100_000;

/** RATE_LIMITED with HTTP 429 and `Retry-After`, the seconds until the bucket holds a request again. */
export function rateLimitedError(reason: string, retryAfterSeconds: number): GraphQLError {
  return new GraphQLError(`Too many requests; try again in ${retryAfterSeconds} s`, {
    extensions: {
      code: 'RATE_LIMITED',
      reason,
      retryAfterSeconds,
      http: {
        status: 429,
        headers: new HeaderMap([['retry-after', String(retryAfterSeconds)]]),
      },
    },
  });
}

/**
 * One token bucket per key, created full. A bucket left alone until it is full again is the same
 * as a new one, so it is forgotten then; the cache also caps how many are kept.
 */
function keyedBuckets(settings: BucketSettings, maxTracked: number) {
  const buckets = new LRUCache<string, TokenBucket>({
    max: maxTracked,
    ttl: Math.ceil((settings.burst / settings.perSecond) * 1000),
    updateAgeOnGet: true,
  });
  /** Takes one token; returns the whole seconds to wait when there is none, else 0. */
  return (key: string): number => {
    let bucket = buckets.get(key);
    if (!bucket) {
      bucket = new TokenBucket({
        bucketSize: settings.burst,
        tokensPerInterval: settings.perSecond,
        interval: 'second',
      });
      bucket.content = settings.burst;
      buckets.set(key, bucket);
    }
    if (bucket.tryRemoveTokens(1)) return 0;
    return Math.max(1, Math.ceil(bucket.getWaitTime(1) / 1000));
  };
}

/** proxy-addr's trust function for the setting: believe nobody, N hops, or the listed proxies. */
function trustFunction(trusted: TrustedProxies | undefined): (addr: string, i: number) => boolean {
  if (trusted === undefined) return () => false;
  if (typeof trusted === 'number') return (_, i) => i < trusted;
  return proxyaddr.compile([...trusted]);
}

/** Throws when a list of trusted proxies names something that is not an address or subnet. */
export function checkTrustedProxies(trusted: readonly string[]): void {
  proxyaddr.compile([...trusted]);
}

/**
 * The address a request came from: the socket's peer, or the nearest `X-Forwarded-For` entry not
 * added by a trusted proxy. IPv4-mapped IPv6 is read as IPv4; IPv6 is cut to its /64.
 */
export function clientAddress(req: IncomingMessage, trusted?: TrustedProxies): string {
  const address = proxyaddr(req, trustFunction(trusted));
  if (!address || !ipaddr.isValid(address)) return 'unknown';
  const parsed = ipaddr.process(address);
  if (parsed.kind() === 'ipv4') return parsed.toString();
  const parts = (parsed as ipaddr.IPv6).parts.slice(0, 4);
  return `${parts.map((p) => p.toString(16)).join(':')}::/64`;
}

/**
 * In-process rate limiting of the gateway, per client address and per verified user. Each replica
 * counts its own requests: with N replicas behind a balancer a caller gets up to N times the rate.
 */
export function createRateLimiter(settings: RateLimitSettings): RateLimiter {
  const maxTracked = settings.maxTracked ?? DEFAULT_MAX_TRACKED;
  const takeAddress = keyedBuckets(settings.address, maxTracked);
  const takeUser = keyedBuckets(settings.user, maxTracked);
  return {
    admitAddress(req) {
      const wait = takeAddress(clientAddress(req, settings.trustedProxies));
      if (wait > 0) throw rateLimitedError('ADDRESS_RATE_LIMITED', wait);
    },
    admitUser(userId) {
      const wait = takeUser(userId);
      if (wait > 0) throw rateLimitedError('USER_RATE_LIMITED', wait);
    },
  };
}
