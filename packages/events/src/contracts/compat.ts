/**
 * Whether a new JSON Schema of an event's data may replace the published one under the same
 * version (ADR 0018). Consumers keep reading with the old one and replay history with the new
 * one, so the new schema must keep every property and accept everything the old one accepted:
 * removing a property, requiring a new one, or narrowing a type, an enum or a bound is breaking.
 * Adding an optional property, widening an enum or a type, and changing descriptions are not.
 * Keywords this check does not understand count as breaking when they change (conservative).
 */
type Schema = Record<string, unknown>;

const ANNOTATIONS = new Set(['$schema', '$id', 'title', 'description', 'default', 'examples']);
const STRUCTURAL = new Set([
  'type',
  'anyOf',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'enum',
  'const',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'minLength',
  'maxLength',
  'minItems',
  'maxItems',
]);

export function breakingChanges(previous: unknown, next: unknown, path = '(data)'): string[] {
  const oldBranches = branches(previous as Schema);
  const newBranches = branches(next as Schema);
  const problems: string[] = [];
  for (const old of oldBranches) {
    const candidates = newBranches.filter((n) => overlaps(old, n));
    if (candidates.length === 0) {
      problems.push(`${path}: no longer accepts ${describe(old)}`);
      continue;
    }
    // One accepting branch is enough; report the closest one's problems otherwise.
    const results = candidates.map((n) => compareBranch(old, n, path));
    if (!results.some((r) => r.length === 0))
      problems.push(...results.reduce((a, b) => (b.length < a.length ? b : a)));
  }
  return problems;
}

const branches = (s: Schema): Schema[] =>
  Array.isArray(s.anyOf) ? (s.anyOf as Schema[]).flatMap(branches) : [s];

const typesOf = (s: Schema): string[] =>
  s.type === undefined
    ? ['any']
    : Array.isArray(s.type)
      ? (s.type as string[])
      : [s.type as string];

const overlaps = (a: Schema, b: Schema): boolean => {
  const bt = typesOf(b);
  if (bt.includes('any')) return true;
  return typesOf(a).some((t) => bt.includes(t) || (t === 'integer' && bt.includes('number')));
};

const describe = (s: Schema): string =>
  s.const !== undefined ? JSON.stringify(s.const) : typesOf(s).join(' or ');

function compareBranch(old: Schema, next: Schema, path: string): string[] {
  const problems: string[] = [];
  const oldTypes = typesOf(old);
  const newTypes = typesOf(next);
  if (!newTypes.includes('any')) {
    const lost = oldTypes.filter(
      (t) => !newTypes.includes(t) && !(t === 'integer' && newTypes.includes('number')),
    );
    if (lost.length)
      problems.push(`${path}: type narrowed (${lost.join(', ')} no longer accepted)`);
  }
  if (old.enum !== undefined || next.enum !== undefined) {
    if (next.enum !== undefined) {
      if (old.enum === undefined) problems.push(`${path}: now restricted to an enum`);
      else {
        const gone = (old.enum as unknown[]).filter((v) => !(next.enum as unknown[]).includes(v));
        if (gone.length) problems.push(`${path}: enum values removed: ${gone.join(', ')}`);
      }
    }
  }
  if (next.const !== undefined && JSON.stringify(next.const) !== JSON.stringify(old.const))
    problems.push(`${path}: const changed`);
  bound(old, next, 'minimum', 'up', path, problems);
  bound(old, next, 'exclusiveMinimum', 'up', path, problems);
  bound(old, next, 'minLength', 'up', path, problems);
  bound(old, next, 'minItems', 'up', path, problems);
  bound(old, next, 'maximum', 'down', path, problems);
  bound(old, next, 'exclusiveMaximum', 'down', path, problems);
  bound(old, next, 'maxLength', 'down', path, problems);
  bound(old, next, 'maxItems', 'down', path, problems);
  if (old.additionalProperties !== false && next.additionalProperties === false)
    problems.push(`${path}: no longer allows additional properties`);
  const oldProps = (old.properties ?? {}) as Record<string, Schema>;
  const newProps = (next.properties ?? {}) as Record<string, Schema>;
  for (const name of Object.keys(oldProps)) {
    if (!(name in newProps)) problems.push(`${path}.${name}: removed`);
    else problems.push(...breakingChanges(oldProps[name], newProps[name], `${path}.${name}`));
  }
  const oldRequired = new Set((old.required ?? []) as string[]);
  for (const name of (next.required ?? []) as string[])
    if (!oldRequired.has(name)) problems.push(`${path}.${name}: newly required`);
  if (old.items !== undefined && next.items !== undefined)
    problems.push(...breakingChanges(old.items, next.items, `${path}[]`));
  for (const key of new Set([...Object.keys(old), ...Object.keys(next)])) {
    if (ANNOTATIONS.has(key) || STRUCTURAL.has(key)) continue;
    if (JSON.stringify(old[key]) !== JSON.stringify(next[key]))
      problems.push(`${path}: "${key}" changed`);
  }
  return problems;
}

function bound(
  old: Schema,
  next: Schema,
  key: string,
  narrowing: 'up' | 'down',
  path: string,
  problems: string[],
): void {
  const a = old[key] as number | undefined;
  const b = next[key] as number | undefined;
  if (b === undefined) return;
  if (a === undefined || (narrowing === 'up' ? b > a : b < a))
    problems.push(`${path}: ${key} narrowed to ${b}`);
}
