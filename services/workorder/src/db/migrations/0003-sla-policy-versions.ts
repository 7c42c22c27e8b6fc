import { Migration } from '@mikro-orm/migrations';
import { SUPPLIER_INVOLVED_POLICY } from '../../domain';
import { slaPolicyRow } from './0001-work-orders';

/**
 * R-WO-12 versioned SLA policies. `sla_policy` keeps each policy as it stands (what intake reads);
 * `sla_policy_version` keeps every version with who, when and why, append-only. The policies stored
 * so far become their version 1, and the orders registered so far name it: their deadlines were
 * computed from the policy as it stood, which is that version unless someone edited the table by
 * hand before, and nothing here recomputes them.
 */
export class SlaPolicyVersionsMigration extends Migration {
  override up(): void {
    this.addSql(`
      ALTER TABLE sla_policy
        ADD COLUMN supplier_involved boolean,
        ADD COLUMN version integer NOT NULL DEFAULT 1,
        ADD COLUMN retired boolean NOT NULL DEFAULT false,
        ADD COLUMN updated_by text NOT NULL DEFAULT 'system',
        ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();

      CREATE TABLE sla_policy_version (
        policy_id text NOT NULL REFERENCES sla_policy(id) DEFERRABLE INITIALLY DEFERRED,
        version integer NOT NULL CHECK (version > 0),
        change text NOT NULL,
        retired boolean NOT NULL,
        area_type text,
        category text,
        supplier_involved boolean,
        min_distance_km double precision NOT NULL,
        max_distance_km double precision,
        arrival_working_hours double precision,
        answer_hours double precision NOT NULL,
        on_site_hours double precision,
        priority integer NOT NULL,
        changed_by text NOT NULL,
        changed_at timestamptz NOT NULL,
        reason text NOT NULL,
        PRIMARY KEY (policy_id, version)
      );
    `);
    const p = SUPPLIER_INVOLVED_POLICY;
    this.addSql(
      `${this.getKnex()
        .insert({ ...slaPolicyRow(p), supplier_involved: p.supplierInvolved })
        .into('sla_policy')
        .toQuery()} ON CONFLICT (id) DO NOTHING`,
    );
    this.addSql(`
      INSERT INTO sla_policy_version (policy_id, version, change, retired, area_type, category,
        supplier_involved, min_distance_km, max_distance_km, arrival_working_hours, answer_hours,
        on_site_hours, priority, changed_by, changed_at, reason)
      SELECT id, version, 'CREATED', retired, area_type, category, supplier_involved,
        min_distance_km, max_distance_km, arrival_working_hours, answer_hours, on_site_hours,
        priority, updated_by, updated_at, 'as stored before SLA policies were versioned (R-WO-12)'
      FROM sla_policy;

      ALTER TABLE work_order
        ADD COLUMN sla_policy_version integer,
        ADD COLUMN supplier_involved boolean NOT NULL DEFAULT false;
      UPDATE work_order SET sla_policy_version = 1 WHERE sla_policy_id IS NOT NULL;
    `);
  }
}
