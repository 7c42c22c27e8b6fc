import {
  JetStreamApiCodes,
  JetStreamApiError,
  StorageType,
  type JetStreamManager,
  type StreamInfo,
} from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import { streamName, streamSubjects } from './envelope';

/** Long enough to cover a relay retrying after a lost publish ack; see the outbox relay. */
export const DEFAULT_DUPLICATE_WINDOW_MS = 2 * 60_000;

export interface StreamSpec {
  subjectPrefix: string;
  /** The producing service that owns the stream. */
  service: string;
  duplicateWindowMs?: number;
}

/**
 * Creates the producing service's stream (`AFTERCARE_CUSTOMER` over `aftercare.customer.>`, file
 * storage, msg-id de-duplication window). The owner (its relay) also brings an existing stream's
 * subjects and window up to date; a consumer (`updateExisting: false`) only creates a missing one,
 * so it can start before the producer has ever run.
 */
export async function ensureStream(
  jsm: JetStreamManager,
  spec: StreamSpec,
  options: { updateExisting: boolean },
): Promise<StreamInfo> {
  const name = streamName(spec.subjectPrefix, spec.service);
  const subjects = [streamSubjects(spec.subjectPrefix, spec.service)];
  const duplicateWindow = nanos(spec.duplicateWindowMs ?? DEFAULT_DUPLICATE_WINDOW_MS);
  const existing = await streamInfo(jsm, name);
  if (!existing) {
    try {
      return await jsm.streams.add({
        name,
        subjects,
        storage: StorageType.File,
        duplicate_window: duplicateWindow,
      });
    } catch (e) {
      // Another replica or a consumer created it between our look-up and our add.
      const raced = await streamInfo(jsm, name);
      if (raced) return raced;
      throw e;
    }
  }
  const current = existing.config;
  const upToDate =
    current.duplicate_window === duplicateWindow && sameSet(current.subjects ?? [], subjects);
  if (upToDate || !options.updateExisting) return existing;
  return jsm.streams.update(name, { subjects, duplicate_window: duplicateWindow });
}

/** The stream's info, or undefined when it does not exist. */
export async function streamInfo(
  jsm: JetStreamManager,
  name: string,
): Promise<StreamInfo | undefined> {
  try {
    return await jsm.streams.info(name);
  } catch (e) {
    if (e instanceof JetStreamApiError && e.code === JetStreamApiCodes.StreamNotFound)
      return undefined;
    throw e;
  }
}

const sameSet = (a: string[], b: string[]) =>
  a.length === b.length && a.every((s) => b.includes(s));
