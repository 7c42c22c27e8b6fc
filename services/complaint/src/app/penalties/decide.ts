import type { PenaltyDecided } from '@aftercare/events';
import { events } from '@aftercare/events';
import {
  AppError,
  changeOne,
  eventMessage,
  forbidden,
  hasRole,
  type Identity,
  requireRole,
} from '@aftercare/kit';
import { PenaltyRecord } from '../../db/penalties';
import { type LedgerEntry, type PenaltyAction, penaltyTransition } from '../../domain/penalties';
import {
  CAN_APPEAL,
  CAN_DECIDE_PENALTIES,
  CAN_PROPOSE_PENALTIES,
  CAN_READ_ALL_PENALTIES,
} from './access';
import type { PenaltyDeps } from './deps';
import { penaltyFacts } from './propose';
import { mayReadPenaltiesOf } from './queries';

const asEntry = (r: PenaltyRecord): LedgerEntry => ({ ...r });

/**
 * R-PN-3 lifecycle: confirm, appeal, uphold, void. The role is checked before the lookup (a
 * manager decides, staff appeal), staff who do not read every line are refused any line but their
 * own whether it exists or not, and then the domain decides (their own line, the status): a
 * refusal never tells a stranger whether someone's ledger line exists or what state it is in.
 */
export async function decidePenalty(
  deps: PenaltyDeps,
  caller: Identity | null,
  id: string,
  action: PenaltyAction,
): Promise<PenaltyRecord> {
  const me = requireRole(caller, ...(action.type === 'appeal' ? CAN_APPEAL : CAN_DECIDE_PENALTIES));
  try {
    return await changeOne<PenaltyRecord>(deps, {
      entity: PenaltyRecord,
      label: 'Penalty',
      id,
      field: 'penaltyId',
      visible: (record) => mayReadPenaltiesOf(me, record.staffId),
      apply: (record) => {
        const now = deps.now();
        const { entry, notify } = penaltyTransition(asEntry(record), action, { actor: me, now });
        Object.assign(record, entry, { updatedAt: now });
        const decided: PenaltyDecided = {
          ...penaltyFacts(record),
          action: action.type,
          decidedBy: me.userId,
          notifyStaff: notify.length > 0,
        };
        return { events: [eventMessage(events.complaint.penaltyDecided, decided)] };
      },
    });
  } catch (e) {
    // Missing or someone else's: the same answer to a caller who reads only their own lines.
    if (e instanceof AppError && e.code === 'NOT_FOUND' && !hasRole(me, ...CAN_READ_ALL_PENALTIES))
      throw forbidden('staff act on their own ledger lines only', 'NOT_YOUR_PENALTY');
    throw e;
  }
}

/** R-PN-2: the violation corrected; it stops counting again. Whoever proposes penalties may. */
export async function markPenaltyCorrected(
  deps: PenaltyDeps,
  caller: Identity | null,
  id: string,
): Promise<PenaltyRecord> {
  requireRole(caller, ...CAN_PROPOSE_PENALTIES);
  return changeOne<PenaltyRecord>(deps, {
    entity: PenaltyRecord,
    label: 'Penalty',
    id,
    field: 'penaltyId',
    apply: (record) => {
      if (record.correctionRequired && !record.correctedAt) {
        record.correctedAt = deps.now();
        record.updatedAt = record.correctedAt;
      }
    },
  });
}
