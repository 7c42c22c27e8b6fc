import { Migration } from '@mikro-orm/migrations';
import { DEFAULT_PENALTY_RULES } from '../../domain';

const literal = (value: unknown) => `'${String(value).replace(/'/g, "''")}'`;

export class ComplaintsMigration extends Migration {
  override up(): void {
    this.addSql(`
      CREATE SEQUENCE complaint_number_seq;
      CREATE TABLE complaint (
        id uuid PRIMARY KEY,
        number text NOT NULL UNIQUE,
        status text NOT NULL,
        complainant jsonb NOT NULL,
        customer_id uuid NOT NULL,
        work_order_id uuid,
        asset_id uuid,
        channel text NOT NULL,
        category text NOT NULL,
        content text NOT NULL,
        demands jsonb NOT NULL,
        attachments jsonb NOT NULL,
        about_staff_ids jsonb NOT NULL,
        received_at timestamptz NOT NULL,
        high_impact boolean NOT NULL,
        disturbance boolean NOT NULL,
        invalid_reason text,
        department text,
        handler_id text,
        assigned_at timestamptz,
        investigation jsonb,
        solution jsonb,
        first_solution_at timestamptz,
        rejections jsonb NOT NULL,
        approval jsonb,
        customer_notified_at timestamptz,
        closed_at timestamptz,
        satisfaction text,
        escalated_at timestamptz,
        improvement_actions jsonb NOT NULL,
        major_reasons jsonb NOT NULL,
        repeat_of_id uuid,
        source_event_id text UNIQUE,
        recorded_by text NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      );
      CREATE INDEX complaint_customer_idx ON complaint (customer_id, received_at);
      CREATE INDEX complaint_work_order_idx ON complaint (work_order_id);
      CREATE INDEX complaint_received_idx ON complaint (received_at);
      CREATE INDEX complaint_open_idx ON complaint (received_at) WHERE closed_at IS NULL;

      CREATE TABLE complaint_history (
        id uuid PRIMARY KEY,
        complaint_id uuid NOT NULL REFERENCES complaint(id) DEFERRABLE INITIALLY DEFERRED,
        action text NOT NULL,
        from_status text,
        to_status text NOT NULL,
        actor_id text NOT NULL,
        at timestamptz NOT NULL,
        details jsonb
      );
      CREATE INDEX complaint_history_complaint_idx ON complaint_history (complaint_id, at);

      -- One row per complaint and breached deadline: the overdue notice goes out exactly once
      -- however many scheduler replicas scan (the insert and the outbox row commit together).
      CREATE TABLE complaint_overdue (
        complaint_id uuid NOT NULL REFERENCES complaint(id),
        kind text NOT NULL CHECK (kind IN ('SOLUTION', 'CLOSURE', 'ESCALATION')),
        due_at timestamptz NOT NULL,
        detected_at timestamptz NOT NULL,
        PRIMARY KEY (complaint_id, kind)
      );

      CREATE TABLE penalty_rule (
        code text PRIMARY KEY,
        description text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('PENALTY', 'REWARD')),
        points integer NOT NULL CHECK (points >= 0),
        fine_fen bigint NOT NULL CHECK (fine_fen >= 0),
        source text NOT NULL,
        doubling_roles jsonb NOT NULL,
        updated_by text,
        updated_at timestamptz NOT NULL
      );

      CREATE TABLE penalty (
        id uuid PRIMARY KEY,
        staff_id text NOT NULL,
        rule_code text NOT NULL REFERENCES penalty_rule(code),
        source text NOT NULL,
        kind text NOT NULL,
        points integer NOT NULL,
        amount_fen bigint NOT NULL,
        nth_violation integer,
        explanation jsonb NOT NULL,
        occurred_at timestamptz NOT NULL,
        reference text,
        status text NOT NULL CHECK (status IN ('PROPOSED', 'CONFIRMED', 'APPEALED', 'UPHELD', 'VOID')),
        proposed_by text NOT NULL,
        confirmed_at timestamptz,
        appeal_reason text,
        decided_by text,
        decision_reason text,
        source_key text NOT NULL UNIQUE,
        correction_required boolean NOT NULL,
        corrected_at timestamptz,
        recount_of_id uuid REFERENCES penalty(id) DEFERRABLE INITIALLY DEFERRED,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      );
      CREATE INDEX penalty_staff_idx ON penalty (staff_id, occurred_at);
      CREATE INDEX penalty_occurred_idx ON penalty (occurred_at);
      CREATE INDEX penalty_uncorrected_idx ON penalty (occurred_at)
        WHERE correction_required AND corrected_at IS NULL;

      CREATE TABLE completed_work_order (
        work_order_id uuid PRIMARY KEY,
        completed_at timestamptz NOT NULL
      );
      CREATE INDEX completed_work_order_at_idx ON completed_work_order (completed_at);
    `);
    // R-PN-1: the seed rules as rows; managers edit them afterwards.
    for (const r of DEFAULT_PENALTY_RULES) {
      this.addSql(
        `INSERT INTO penalty_rule (code, description, kind, points, fine_fen, source, doubling_roles, updated_at)
         VALUES (${literal(r.code)}, ${literal(r.description)}, ${literal(r.kind)}, ${r.points}, ${r.fineFen},
                 ${literal(r.source)}, ${literal(JSON.stringify(r.doublingRoles ?? []))}::jsonb, now())`,
      );
    }
  }
}
