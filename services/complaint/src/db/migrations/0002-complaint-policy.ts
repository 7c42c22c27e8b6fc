import { Migration } from '@mikro-orm/migrations';
import { DEFAULT_COMPLAINT_POLICY } from '../../domain';

const json = (value: unknown) => `'${JSON.stringify(value).replace(/'/g, "''")}'::jsonb`;

/** R-CO-2/R-CO-3 rules as data: one row, seeded with the defaults, edited by managers. */
export class ComplaintPolicyMigration extends Migration {
  override up(): void {
    const p = DEFAULT_COMPLAINT_POLICY;
    this.addSql(`
      CREATE TABLE complaint_policy (
        id smallint PRIMARY KEY CHECK (id = 1),
        routing jsonb NOT NULL,
        approval_tiers jsonb NOT NULL,
        major_rules jsonb NOT NULL,
        updated_by text,
        updated_at timestamptz NOT NULL
      );
      INSERT INTO complaint_policy (id, routing, approval_tiers, major_rules, updated_at)
      VALUES (1, ${json(p.routing)}, ${json(p.approvalTiers)}, ${json(p.majorRules)}, now());
    `);
  }
}
