import { PenaltyRecord } from '../../db/penalties';
import { uncorrectedRecounts } from '../../domain/penalties';
import type { PenaltyDeps } from './deps';
import { proposeOnce } from './propose';

/**
 * R-PN-2 "not corrected within 1 working day counts again": for each uncorrected violation, one
 * proposed re-count per working day passed. The re-count's source key (`RECOUNT:<id>:<n>`) makes it
 * exactly-once with any number of scheduler replicas. Returns the re-counts proposed by this call.
 */
export async function scanUncorrectedViolations(deps: PenaltyDeps, limit = 200): Promise<number> {
  const now = deps.now();
  let proposed = 0;
  // Page through every open violation (by id): the oldest ones stay open until corrected, so a
  // single "oldest first, limit n" batch would starve every violation after the n-th for good.
  for (let after: string | null = null; ;) {
    const open: PenaltyRecord[] = await deps.orm.em.fork().find(
      PenaltyRecord,
      {
        correctionRequired: true,
        correctedAt: null,
        kind: 'PENALTY',
        status: { $ne: 'VOID' },
        recountOfId: null,
        ...(after ? { id: { $gt: after } } : {}),
      },
      { limit, orderBy: { id: 'asc' } },
    );
    proposed += await recountEach(deps, open, now);
    if (open.length < limit) return proposed;
    after = open.at(-1)!.id;
  }
}

/** The re-counts due for each open violation as of `now`; returns how many this call created. */
async function recountEach(deps: PenaltyDeps, open: PenaltyRecord[], now: Date): Promise<number> {
  let proposed = 0;
  for (const entry of open) {
    const recounts = uncorrectedRecounts(
      entry.occurredAt,
      null,
      now,
      deps.calendar,
      deps.penaltyPolicy,
    );
    for (const [i, at] of recounts.entries()) {
      const sourceKey = `RECOUNT:${entry.id}:${i + 1}`;
      const { created } = await deps.orm.em.fork().transactional((em) =>
        proposeOnce(em, deps, {
          ruleCode: entry.ruleCode,
          staffId: entry.staffId,
          culpritKnown: true,
          occurredAt: at,
          reference: entry.reference,
          sourceKey,
          proposedBy: deps.serviceIdentity.userId,
          recountOfId: entry.id,
        }),
      );
      if (created) proposed++;
    }
  }
  return proposed;
}
