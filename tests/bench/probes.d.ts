// Types of probes.js for the tests that read it (the bench itself is plain JavaScript).
export interface Reading {
  cpu: Record<string, number | null>;
  serviceOf: Record<string, string>;
  statements: Record<string, Record<string, number>>;
  backendCpu: Record<string, number | null>;
}

export interface StepCost {
  cpuMsPerRequest: Record<string, number | null>;
  cpuMsPerReplica?: Record<string, number | null>;
  statementsPerRequest: Record<string, number | null>;
  statementsByWork: Record<string, Record<string, number | null>>;
}

export function snapshot(options: {
  processes: { name: string; service: string; pid: number; metricsUrl?: string }[];
  databases: Record<string, string>;
  sql: (text: string, params?: unknown[]) => Promise<Record<string, unknown>[]>;
}): Promise<Reading>;

export function delta(before: Reading, after: Reading, requests: number): StepCost;

export function cpuMs(pid: number): number | null;
