/** One metric family of a Prometheus text exposition, as its `# TYPE` line declares it. */
export interface Family {
  name: string;
  type: string;
}

/** The families declared in an exposition text, by name. */
export function parseExposition(text: string): Map<string, Family> {
  const families = new Map<string, Family>();
  for (const m of text.matchAll(/^# TYPE (\S+) (\S+)$/gm))
    families.set(m[1]!, { name: m[1]!, type: m[2]! });
  return families;
}
