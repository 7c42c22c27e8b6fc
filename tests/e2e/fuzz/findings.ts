/** One broken promise of issue 11 seen on one case. */
export interface Problem {
  /** Stable across cases with the same cause: what findings are grouped by. */
  kind: string;
  detail: string;
}

export interface Finding extends Problem {
  operation: string;
  /** The request and the answer, abbreviated for reading. */
  example: string;
}

/** Long strings shortened, everything else as JSON (so NUL and lone surrogates stay visible). */
export function abbreviate(value: unknown, max = 1500): string {
  const json = JSON.stringify(value, (key, v: unknown) => {
    const keep = key === 'document' || key === 'payload' ? 600 : 64;
    return typeof v === 'string' && v.length > keep
      ? `${v.slice(0, keep / 2)}…(${v.length} chars)`
      : v;
  });
  return json === undefined ? String(value) : json.length > max ? `${json.slice(0, max)}…` : json;
}

/** Messages of one cause differ in ids, numbers and quoted input; those are left out of the key. */
export const normalise = (message: string) =>
  message
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '<id>')
    .replace(/"(?:[^"\\]|\\.)*"/g, '"…"')
    .replace(/\d+/g, '<n>')
    .slice(0, 160);

/**
 * Every finding of a run, grouped by operation and kind: the count and the shortest example of
 * each, which is the one that shows the cause best.
 */
export class Findings {
  private readonly groups = new Map<string, { count: number; first: Finding }>();

  add(finding: Finding): void {
    const key = `${finding.operation}\u0000${finding.kind}`;
    const group = this.groups.get(key);
    if (!group) this.groups.set(key, { count: 1, first: finding });
    else {
      group.count += 1;
      if (finding.example.length < group.first.example.length) group.first = finding;
    }
  }

  get size(): number {
    return this.groups.size;
  }

  report(): string {
    return [...this.groups.values()]
      .sort((a, b) => a.first.operation.localeCompare(b.first.operation))
      .map(
        ({ count, first }) =>
          `• ${first.operation} — ${first.kind} (${count}×)\n    ${first.detail}\n    ${first.example}`,
      )
      .join('\n');
  }
}
