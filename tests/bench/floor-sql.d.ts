// Types of floor-sql.js for the tests that read it (the bench itself is plain JavaScript).
export const INTAKE_SETUP: string;
export const ENVELOPE: string;
export const INTAKE_STATEMENTS: string[];
export const READ_STATEMENTS: string[];

export function bind(
  text: string,
  vars: Record<string, unknown>,
): { text: string; values: unknown[] };
