import { Migration } from '@mikro-orm/migrations';
import { DEFAULT_SLA_POLICIES, type SlaPolicy } from '../../domain';

/** A policy as a row of `sla_policy` with the columns this migration creates. */
export const slaPolicyRow = (p: SlaPolicy) => ({
  id: p.id,
  area_type: p.areaType,
  category: p.category,
  min_distance_km: p.minDistanceKm,
  max_distance_km: p.maxDistanceKm,
  arrival_working_hours: p.arrivalWorkingHours,
  answer_hours: p.answerHours,
  on_site_hours: p.onSiteHours,
  priority: p.priority,
});

export class WorkOrdersMigration extends Migration {
  override up(): void {
    this.addSql(`
      CREATE TABLE staff (
        id text PRIMARY KEY,
        name text NOT NULL,
        position text,
        skills text[] NOT NULL DEFAULT '{}',
        province text,
        city text,
        team text,
        team_lead_id text,
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      );
      CREATE INDEX staff_team_idx ON staff (team);

      CREATE TABLE sla_policy (
        id text PRIMARY KEY,
        area_type text,
        category text,
        min_distance_km double precision NOT NULL DEFAULT 0,
        max_distance_km double precision,
        arrival_working_hours double precision,
        answer_hours double precision NOT NULL,
        on_site_hours double precision,
        priority integer NOT NULL DEFAULT 0
      );

      CREATE TABLE number_sequence (
        prefix text NOT NULL,
        day text NOT NULL,
        last integer NOT NULL,
        PRIMARY KEY (prefix, day)
      );

      CREATE TABLE work_order (
        id uuid PRIMARY KEY,
        number text NOT NULL UNIQUE,
        customer_id uuid,
        asset_id uuid,
        contact jsonb,
        address_line text,
        province text,
        city text,
        district text,
        area_type text,
        distance_km double precision,
        fault_description text NOT NULL,
        category text NOT NULL,
        channel text NOT NULL,
        service_type text NOT NULL,
        entitlement_reason text,
        internal_kind text,
        status text NOT NULL,
        sla_policy_id text,
        called_at timestamptz NOT NULL,
        registered_by text NOT NULL,
        answer_due_at timestamptz,
        arrival_due_at timestamptz,
        on_site_due_at timestamptz,
        answered_at timestamptz,
        dispatched_at timestamptz,
        arrived_at timestamptz,
        completed_at timestamptz,
        signed_at timestamptz,
        closed_at timestamptz,
        cancelled_at timestamptz,
        cancel_reason text,
        technician_ids text[] NOT NULL DEFAULT '{}',
        lead_technician_id text,
        repeat_of_id uuid REFERENCES work_order(id) DEFERRABLE INITIALLY DEFERRED,
        report jsonb,
        signature jsonb,
        charges jsonb,
        goods_receipt jsonb,
        goods_register jsonb NOT NULL DEFAULT '[]',
        repair_card jsonb,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        version integer NOT NULL DEFAULT 1
      );
      CREATE INDEX work_order_customer_idx ON work_order (customer_id, id);
      CREATE INDEX work_order_asset_idx ON work_order (asset_id, completed_at);
      CREATE INDEX work_order_status_idx ON work_order (status);
      CREATE INDEX work_order_technicians_idx ON work_order USING gin (technician_ids);
      CREATE INDEX work_order_open_due_idx ON work_order (answer_due_at, arrival_due_at, on_site_due_at)
        WHERE status NOT IN ('SIGNED', 'CLOSED', 'CANCELLED');

      CREATE TABLE work_order_history (
        id uuid PRIMARY KEY,
        work_order_id uuid NOT NULL REFERENCES work_order(id) DEFERRABLE INITIALLY DEFERRED,
        action text NOT NULL,
        from_status text,
        to_status text NOT NULL,
        actor_id text NOT NULL,
        at timestamptz NOT NULL,
        reason text,
        details jsonb
      );
      CREATE INDEX work_order_history_order_idx ON work_order_history (work_order_id, id);

      -- Foreign keys are checked at commit: the ORM may insert a history row before its order.
      -- One row per (work order, deadline) breached: the primary key makes the breach event
      -- exactly-once even with several schedulers scanning at the same time.
      CREATE TABLE sla_breach (
        work_order_id uuid NOT NULL REFERENCES work_order(id) DEFERRABLE INITIALLY DEFERRED,
        kind text NOT NULL,
        due_at timestamptz NOT NULL,
        detected_at timestamptz NOT NULL,
        PRIMARY KEY (work_order_id, kind)
      );
    `);
    // The defaults of R-WO-3 as data; operators change them in the table, not in code.
    this.addSql(this.getKnex().insert(DEFAULT_SLA_POLICIES.map(slaPolicyRow)).into('sla_policy'));
  }
}
