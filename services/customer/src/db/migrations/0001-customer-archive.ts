import { Migration } from '@mikro-orm/migrations';

export class CustomerArchiveMigration extends Migration {
  override up(): void {
    this.addSql(`
      CREATE SEQUENCE customer_code_seq;
      CREATE TABLE customer (
        id uuid PRIMARY KEY,
        code text NOT NULL UNIQUE,
        kind text NOT NULL CHECK (kind IN ('PERSON','ORGANISATION','DEALER','AGENT')),
        name text NOT NULL,
        grade text NOT NULL CHECK (grade IN ('A','B','C','D')),
        status text NOT NULL CHECK (status IN ('ACTIVE','INACTIVE')),
        tags text[] NOT NULL DEFAULT '{}',
        contacts jsonb NOT NULL,
        addresses jsonb NOT NULL,
        phones text[] NOT NULL DEFAULT '{}',
        province text,
        city text,
        district text,
        responsible_staff_id text,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        version integer NOT NULL DEFAULT 1
      );
      CREATE INDEX customer_phones_idx ON customer USING gin (phones);
      CREATE INDEX customer_region_idx ON customer (province, city, district);
      CREATE INDEX customer_grade_idx ON customer (grade);
      CREATE INDEX customer_name_idx ON customer (lower(name) text_pattern_ops);

      CREATE TABLE customer_change (
        id uuid PRIMARY KEY,
        customer_id uuid NOT NULL REFERENCES customer(id),
        field text NOT NULL,
        old_value jsonb,
        new_value jsonb,
        reason text,
        changed_by text NOT NULL,
        changed_at timestamptz NOT NULL
      );
      CREATE INDEX customer_change_customer_idx ON customer_change (customer_id, id);

      CREATE TABLE asset (
        id uuid PRIMARY KEY,
        customer_id uuid NOT NULL REFERENCES customer(id),
        kind text NOT NULL CHECK (kind IN ('VEHICLE','EQUIPMENT','APPLIANCE','OTHER')),
        model text NOT NULL,
        serial_number text,
        vin text,
        plate_number text,
        purchase_date date,
        selling_dealer text,
        mileage_km integer,
        running_hours integer,
        warranty_start date,
        warranty_end date,
        contract_number text,
        contract_kind text,
        contract_start date,
        contract_end date,
        maintenance_cycle_days integer,
        next_maintenance_due date,
        created_at timestamptz NOT NULL,
        CHECK (warranty_end IS NULL OR warranty_end >= warranty_start),
        CHECK (contract_end IS NULL OR contract_end >= contract_start)
      );
      -- One asset, one file (R-CU-2): a VIN or serial number is registered once.
      CREATE UNIQUE INDEX asset_vin_key ON asset (vin) WHERE vin IS NOT NULL;
      CREATE UNIQUE INDEX asset_serial_key ON asset (kind, serial_number) WHERE serial_number IS NOT NULL;
      CREATE INDEX asset_customer_idx ON asset (customer_id);
      CREATE INDEX asset_plate_idx ON asset (plate_number);

      CREATE TABLE contact_log (
        id uuid PRIMARY KEY,
        customer_id uuid NOT NULL REFERENCES customer(id),
        channel text NOT NULL,
        direction text NOT NULL,
        purpose text NOT NULL,
        summary text NOT NULL,
        customer_request text,
        staff_id text NOT NULL,
        occurred_at timestamptz NOT NULL,
        reference text,
        idempotency_key text UNIQUE,
        created_at timestamptz NOT NULL
      );
      CREATE INDEX contact_log_customer_idx ON contact_log (customer_id, occurred_at DESC);
    `);
  }
}
