import { Migration } from '@mikro-orm/migrations';
import { DEFAULT_TEMPLATES } from '../../domain';

export class SurveysMigration extends Migration {
  override up(): void {
    this.addSql(`
      CREATE TABLE survey_template (
        code text PRIMARY KEY,
        name text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('WORK_ORDER', 'COMPLAINT_HANDLING')),
        items jsonb NOT NULL,
        suggestions boolean NOT NULL,
        updated_at timestamptz NOT NULL
      );
      CREATE TABLE survey (
        id uuid PRIMARY KEY,
        kind text NOT NULL CHECK (kind IN ('WORK_ORDER', 'COMPLAINT_HANDLING')),
        template jsonb NOT NULL,
        work_order_id uuid,
        work_order_number text,
        complaint_id uuid,
        complaint_number text,
        customer_id uuid,
        asset_id uuid,
        technician_ids jsonb NOT NULL,
        province text,
        city text,
        district text,
        service_type text,
        service_at timestamptz NOT NULL,
        service_date date NOT NULL,
        status text NOT NULL CHECK (status IN ('OPEN', 'ANSWERED')),
        token_hash text UNIQUE,
        token_expires_at timestamptz,
        answers jsonb,
        answered_at timestamptz,
        answered_via text,
        answered_by text,
        dissatisfied boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL,
        CHECK ((status = 'ANSWERED') = (answers IS NOT NULL))
      );
      -- R-SV-1: one survey per completed work order and per closed complaint, whatever the deliveries.
      CREATE UNIQUE INDEX survey_work_order_uq ON survey (work_order_id) WHERE kind = 'WORK_ORDER';
      CREATE UNIQUE INDEX survey_complaint_uq ON survey (complaint_id) WHERE kind = 'COMPLAINT_HANDLING';
      CREATE INDEX survey_customer_idx ON survey (customer_id);
      CREATE INDEX survey_scores_idx ON survey (service_date) WHERE status = 'ANSWERED';

      CREATE TABLE follow_up (
        id uuid PRIMARY KEY,
        work_order_id uuid NOT NULL,
        work_order_number text NOT NULL,
        survey_id uuid REFERENCES survey(id) DEFERRABLE INITIALLY DEFERRED,
        customer_id uuid NOT NULL,
        asset_id uuid,
        technician_ids jsonb NOT NULL,
        sequence integer NOT NULL CHECK (sequence IN (1, 2)),
        topics jsonb NOT NULL,
        window_start date NOT NULL,
        window_end date NOT NULL CHECK (window_end >= window_start),
        call_date date NOT NULL,
        callback_at timestamptz,
        status text NOT NULL CHECK (status IN ('PLANNED', 'DONE')),
        attempts integer NOT NULL DEFAULT 0,
        last_outcome text,
        followed_up boolean NOT NULL DEFAULT false,
        service_type text NOT NULL,
        province text,
        city text,
        service_date date NOT NULL,
        created_at timestamptz NOT NULL,
        UNIQUE (work_order_id, sequence)
      );
      CREATE INDEX follow_up_call_list_idx ON follow_up (call_date, id) WHERE status = 'PLANNED';

      CREATE TABLE follow_up_call (
        id uuid PRIMARY KEY,
        follow_up_id uuid NOT NULL REFERENCES follow_up(id),
        customer_id uuid NOT NULL,
        outcome text NOT NULL,
        summary text,
        complaint text,
        callback_at timestamptz,
        agent_id text NOT NULL,
        called_at timestamptz NOT NULL,
        contact_logged_at timestamptz
      );
      CREATE INDEX follow_up_call_unlogged_idx ON follow_up_call (called_at) WHERE contact_logged_at IS NULL;

      CREATE TABLE customer_file (
        customer_id uuid PRIMARY KEY,
        status text NOT NULL,
        province text,
        city text,
        version integer NOT NULL
      );
      CREATE TABLE asset_file (
        asset_id uuid PRIMARY KEY,
        customer_id uuid NOT NULL,
        warranty_end date,
        contract_end date,
        contract_number text,
        next_maintenance_due date,
        updated_at timestamptz NOT NULL
      );
      CREATE TABLE activity (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        date date NOT NULL,
        province text,
        city text,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL
      );
      -- R-SV-3: a reminder is generated once; replicas racing on the same one meet this key.
      CREATE TABLE reminder (
        id uuid PRIMARY KEY,
        key text NOT NULL UNIQUE,
        kind text NOT NULL,
        customer_id uuid NOT NULL,
        asset_id uuid,
        activity_id uuid,
        target_date date NOT NULL,
        notify_date date NOT NULL,
        created_at timestamptz NOT NULL
      );
      CREATE INDEX reminder_customer_idx ON reminder (customer_id, id);
    `);
    for (const t of DEFAULT_TEMPLATES) {
      this.addSql(
        this.getKnex().raw(
          `INSERT INTO survey_template (code, name, kind, items, suggestions, updated_at) VALUES (?, ?, ?, ?::jsonb, ?, now())`,
          [t.code, t.name, t.kind, JSON.stringify(t.items), t.suggestions],
        ),
      );
    }
  }
}
