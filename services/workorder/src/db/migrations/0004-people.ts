import { Migration } from '@mikro-orm/migrations';

/**
 * R-WO-10 people before dispatch: each technician's qualifications register and shift pattern on
 * the roster, their leave in its own table, and the product line of an order (skills may be per
 * product line). Staff stored before have an empty register: their roster skills still count, for
 * every product line.
 */
export class PeopleMigration extends Migration {
  override up(): void {
    this.addSql(`
      ALTER TABLE staff
        ADD COLUMN qualifications jsonb NOT NULL DEFAULT '{"skills":[],"certificates":[],"trainings":[]}',
        ADD COLUMN shifts jsonb;

      CREATE TABLE staff_leave (
        id uuid PRIMARY KEY,
        staff_id text NOT NULL REFERENCES staff(id),
        starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL CHECK (ends_at > starts_at),
        kind text NOT NULL,
        note text,
        recorded_by text NOT NULL,
        recorded_at timestamptz NOT NULL,
        cancelled_at timestamptz
      );
      CREATE INDEX staff_leave_staff_idx ON staff_leave (staff_id, starts_at) WHERE cancelled_at IS NULL;

      ALTER TABLE work_order ADD COLUMN product_line text;
    `);
  }
}
