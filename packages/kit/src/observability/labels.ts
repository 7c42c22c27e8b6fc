/** Label value for GraphQL operations without a name. */
export const ANONYMOUS = 'anonymous';
/** Label value once a label has seen its maximum of distinct values. */
export const OTHER = 'other';

/**
 * Keeps a label's cardinality bounded when its values come from outside (operation names are the
 * client's choice): the first `max` distinct values are kept, later ones become `other`. Values
 * are also cut to 64 characters, so one long name cannot bloat every scrape either.
 */
export function boundedLabel(max: number): (value: string) => string {
  const seen = new Set<string>();
  return (value) => {
    const cut = value.slice(0, 64);
    if (seen.has(cut)) return cut;
    if (seen.size >= max) return OTHER;
    seen.add(cut);
    return cut;
  };
}
