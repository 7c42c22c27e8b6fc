import { type CertificateExpiring, events } from '@aftercare/events';
import { recordOnce } from '@aftercare/kit';
import { StaffRecord } from '../db/entities';
import { expiringCertificates } from '../domain';
import type { WorkOrderDeps } from './deps';

const DAY_MS = 86_400_000;

/**
 * R-WO-10: emits `workorder.certificate_expiring` for each certificate of an active technician
 * that expires within the lead time (or has expired), once per certificate and expiry date: the
 * `certificate_reminder` key makes it once however many replicas scan, and the reminder row and
 * its outbox row commit together. Returns the number of reminders sent by this call.
 */
export async function remindExpiringCertificates(deps: WorkOrderDeps): Promise<number> {
  const now = deps.now();
  const today = deps.calendar.localDate(now);
  const leadDays = deps.certificateReminderDays ?? 30;
  return deps.orm.em.fork().transactional(async (em) => {
    // The roster is people, not orders: small enough to read whole; certificates live in its
    // JSON register.
    const staff = await em.find(StaffRecord, { active: true });
    let sent = 0;
    for (const s of staff) {
      for (const c of expiringCertificates(s.qualifications, today, leadDays)) {
        const reminded = await recordOnce(em, 'certificate_reminder', {
          staff_id: s.id,
          certificate_code: c.code,
          expires_on: c.expiresOn,
          reminded_at: now,
        });
        if (!reminded) continue;
        sent++;
        deps.events.publish(em, events.workorder.certificateExpiring, s.id, {
          staffId: s.id,
          staffName: s.name,
          team: s.team,
          stationCode: s.stationCode,
          certificateCode: c.code,
          certificateName: c.name,
          expiresOn: c.expiresOn!,
          daysLeft: Math.round((Date.parse(c.expiresOn!) - Date.parse(today)) / DAY_MS),
          remindedAt: now.toISOString(),
        } satisfies CertificateExpiring);
      }
    }
    return sent;
  });
}
