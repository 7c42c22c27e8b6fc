import { z } from 'zod';
import { ConfigError } from '../config';
import {
  KeyConfigError,
  parseSigningKey,
  parseTrustedKeys,
  type SigningKey,
  type TrustedKeys,
} from './keys';

/**
 * The variables of internal identity (ADR 0010), shared by the services and the gateway:
 * `INTERNAL_AUTH_PRIVATE_KEY` — this process's Ed25519 private key as a JWK (a Secret);
 * `INTERNAL_AUTH_TRUSTED_KEYS` — `{"signer":[public JWK,…],…}` of the processes it accepts
 * calls from (not secret). `npm run keys` makes both. Optional here so that a migration Job needs
 * no keys; a process that serves refuses to start without them (`requireInternalAuth`).
 */
export const internalAuthEnv = {
  INTERNAL_AUTH_PRIVATE_KEY: z.string().transform(toSigningKey).optional(),
  INTERNAL_AUTH_TRUSTED_KEYS: z.string().transform(toTrustedKeys).optional(),
};

/**
 * The keys of a process that serves: its signing key and, unless it only makes calls (the
 * gateway), the keys it trusts. A ConfigError names each missing variable.
 */
export function requireInternalAuth(
  c: { INTERNAL_AUTH_PRIVATE_KEY?: SigningKey; INTERNAL_AUTH_TRUSTED_KEYS?: TrustedKeys },
  { receivesCalls }: { receivesCalls: boolean },
): { signingKey: SigningKey; trustedKeys: TrustedKeys } {
  const problems: string[] = [];
  if (!c.INTERNAL_AUTH_PRIVATE_KEY) {
    problems.push(
      'INTERNAL_AUTH_PRIVATE_KEY: is required: this process signs the calls it makes (`npm run keys` makes one per process)',
    );
  }
  if (receivesCalls && !c.INTERNAL_AUTH_TRUSTED_KEYS) {
    problems.push(
      'INTERNAL_AUTH_TRUSTED_KEYS: is required: the public keys of the processes allowed to call this one (`npm run keys`)',
    );
  }
  if (problems.length) throw new ConfigError(problems);
  return {
    signingKey: c.INTERNAL_AUTH_PRIVATE_KEY as SigningKey,
    trustedKeys: c.INTERNAL_AUTH_TRUSTED_KEYS ?? new Map(),
  };
}

function toSigningKey(text: string, ctx: z.RefinementCtx): SigningKey {
  try {
    return parseSigningKey(text);
  } catch (err) {
    return refuse(err, ctx);
  }
}

function toTrustedKeys(text: string, ctx: z.RefinementCtx): TrustedKeys {
  try {
    return parseTrustedKeys(text);
  } catch (err) {
    return refuse(err, ctx);
  }
}

function refuse(err: unknown, ctx: z.RefinementCtx): never {
  if (!(err instanceof KeyConfigError)) throw err;
  ctx.addIssue({ code: 'custom', message: err.message });
  return z.NEVER;
}
