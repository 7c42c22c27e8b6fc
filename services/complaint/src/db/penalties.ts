import { BigIntType, EntitySchema } from '@mikro-orm/core';
import type { DoublingRole, LedgerKind, PenaltySource, PenaltyStatus } from '../domain/penalties';
import { instant, json } from './columns';

/** R-PN-1 a penalty rule as data, seeded with the defaults and edited by managers. */
export class PenaltyRuleRecord {
  code!: string;
  description!: string;
  kind!: LedgerKind;
  points!: number;
  fineFen!: number;
  source!: PenaltySource;
  doublingRoles: DoublingRole[] = [];
  updatedBy: string | null = null;
  updatedAt!: Date;
}

export const PenaltyRuleSchema = new EntitySchema<PenaltyRuleRecord>({
  class: PenaltyRuleRecord,
  tableName: 'penalty_rule',
  properties: {
    code: { type: 'string', primary: true },
    description: { type: 'string' },
    kind: { type: 'string' },
    points: { type: 'integer' },
    fineFen: { type: new BigIntType('number'), columnType: 'bigint' },
    source: { type: 'string' },
    doublingRoles: json(),
    updatedBy: { type: 'string', nullable: true },
    updatedAt: instant(),
  },
});

/**
 * A ledger line (R-PN-2/3): field names are the domain `LedgerEntry`'s. `sourceKey` names the fact
 * it stems from (an SLA breach of a work order for a technician …) and is unique, so a fact
 * delivered twice never costs twice.
 */
export class PenaltyRecord {
  id!: string;
  staffId!: string;
  ruleCode!: string;
  source!: PenaltySource;
  kind!: LedgerKind;
  points!: number;
  amountFen!: number;
  nthViolation: number | null = null;
  explanation: string[] = [];
  occurredAt!: Date;
  reference: string | null = null;
  status!: PenaltyStatus;
  proposedBy!: string;
  confirmedAt: Date | null = null;
  appealReason: string | null = null;
  decidedBy: string | null = null;
  decisionReason: string | null = null;
  sourceKey!: string;
  /** R-PN-2: the violation must be corrected; until `correctedAt` it counts again each working day. */
  correctionRequired = false;
  correctedAt: Date | null = null;
  /** The entry this one re-counts (uncorrected violation). */
  recountOfId: string | null = null;
  createdAt!: Date;
  updatedAt!: Date;
}

export const PenaltySchema = new EntitySchema<PenaltyRecord>({
  class: PenaltyRecord,
  tableName: 'penalty',
  properties: {
    id: { type: 'uuid', primary: true },
    staffId: { type: 'string' },
    ruleCode: { type: 'string' },
    source: { type: 'string' },
    kind: { type: 'string' },
    points: { type: 'integer' },
    amountFen: { type: new BigIntType('number'), columnType: 'bigint' },
    nthViolation: { type: 'integer', nullable: true },
    explanation: json(),
    occurredAt: instant(),
    reference: { type: 'string', nullable: true },
    status: { type: 'string' },
    proposedBy: { type: 'string' },
    confirmedAt: instant(true),
    appealReason: { type: 'text', nullable: true },
    decidedBy: { type: 'string', nullable: true },
    decisionReason: { type: 'text', nullable: true },
    sourceKey: { type: 'string' },
    correctionRequired: { type: 'boolean' },
    correctedAt: instant(true),
    recountOfId: { type: 'uuid', nullable: true },
    createdAt: instant(),
    updatedAt: instant(),
  },
});
