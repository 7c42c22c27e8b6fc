import { Migration } from '@mikro-orm/migrations';

/**
 * R-SV-2: a second follow-up call waits (WAITING, off the call list) until the first call has been
 * made, and then opens a week after it. Second calls planned before this change whose first call
 * is still open are put back to WAITING. Follow-ups also record the district of the work order,
 * so the follow-up rate can be read per district like satisfaction.
 */
export class SecondCallWaitsMigration extends Migration {
  override up(): void {
    this.addSql(`
      ALTER TABLE follow_up DROP CONSTRAINT follow_up_status_check;
      ALTER TABLE follow_up ADD CONSTRAINT follow_up_status_check
        CHECK (status IN ('WAITING', 'PLANNED', 'DONE'));
      UPDATE follow_up f2 SET status = 'WAITING'
        WHERE f2.sequence = 2 AND f2.status = 'PLANNED'
          AND EXISTS (SELECT 1 FROM follow_up f1 WHERE f1.work_order_id = f2.work_order_id
                        AND f1.sequence = 1 AND f1.status <> 'DONE');
      -- KPIs per district (SPEC §6) for the follow-up rate as for satisfaction.
      ALTER TABLE follow_up ADD COLUMN district text;
      UPDATE follow_up f SET district = s.district FROM survey s WHERE s.id = f.survey_id;
    `);
  }
}
