import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { CriticalityLevel, diff, DiffRule, type Change } from '@graphql-inspector/core';
import { buildSchema } from 'graphql';
import { z } from 'zod';
import { CLIENT_SCHEMA_FILE } from './client-schema';
import { REPO_ROOT } from './subgraphs';

/**
 * The client schema as last published to front ends: the baseline every change is checked
 * against. Only `npm run schema:publish` rewrites it.
 */
export const PUBLISHED_SCHEMA_FILE = join(REPO_ROOT, 'gateway', 'schema.published.graphql');
/** Breaking changes since the published schema that were made on purpose, each with its reason. */
export const APPROVED_CHANGES_FILE = join(REPO_ROOT, 'gateway', 'schema-breaking-changes.json');

const approvedChanges = z.array(
  z.strictObject({
    /** graphql-inspector's change type, e.g. FIELD_REMOVED, FIELD_TYPE_CHANGED. */
    type: z.string().min(1),
    /** What changed, e.g. `WorkOrder.number`, `Query.workOrders.first`. */
    path: z.string().min(1),
    /** Why front ends may bear it (who was told, which versions are affected). */
    reason: z.string().min(10, 'must say why the break is acceptable'),
  }),
);
export type ApprovedChange = z.infer<typeof approvedChanges>[number];

export interface SchemaReview {
  /** Breaking changes nobody approved: the check fails on them. */
  unapproved: Change[];
  /** Approvals matching no change (any more): the check fails on them too, so the list stays true. */
  stale: ApprovedChange[];
  /** Changes that may break some clients (a new enum value, an argument default): shown only. */
  dangerous: Change[];
}

const changeKey = (c: { type: string; path?: string }) => `${c.type} ${c.path ?? ''}`;

/**
 * Compares the current client schema with the published one. Removing a field that was
 * `@deprecated` in the published schema is not breaking: that is the way to remove one
 * (deprecate, publish, let clients move, remove). Every other breaking change must be approved.
 */
export async function reviewSchema(
  published: string,
  current: string,
  approved: readonly ApprovedChange[],
): Promise<SchemaReview> {
  const changes = await diff(buildSchema(published), buildSchema(current), [
    DiffRule.suppressRemovalOfDeprecatedField,
  ]);
  const breaking = changes.filter((c) => c.criticality.level === CriticalityLevel.Breaking);
  const approvedKeys = new Set(approved.map(changeKey));
  const breakingKeys = new Set(breaking.map(changeKey));
  return {
    unapproved: breaking.filter((c) => !approvedKeys.has(changeKey(c))),
    stale: approved.filter((a) => !breakingKeys.has(changeKey(a))),
    dangerous: changes.filter((c) => c.criticality.level === CriticalityLevel.Dangerous),
  };
}

/** The approvals file, checked; a missing file approves nothing. */
export function readApprovedChanges(file = APPROVED_CHANGES_FILE): ApprovedChange[] {
  if (!existsSync(file)) return [];
  const parsed = approvedChanges.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success)
    throw new Error(
      `${relative(REPO_ROOT, file)}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  return parsed.data;
}

export interface SchemaFiles {
  current: string;
  published: string;
  approved: string;
}
const FILES: SchemaFiles = {
  current: CLIENT_SCHEMA_FILE,
  published: PUBLISHED_SCHEMA_FILE,
  approved: APPROVED_CHANGES_FILE,
};

/**
 * `npm run schema:check -w @aftercare/gateway`: exit 1 when the client schema breaks the
 * published one without approval. `-- --publish` (`npm run schema:publish`) makes the current
 * schema the published one and empties the approvals: done when front ends get the new schema.
 */
export async function runSchemaCheck(
  args: readonly string[],
  files: SchemaFiles = FILES,
): Promise<number> {
  const current = readFileSync(files.current, 'utf8');
  const shown = (path: string) => relative(REPO_ROOT, path);
  if (args.includes('--publish')) {
    writeFileSync(files.published, current);
    writeFileSync(files.approved, '[]\n');
    console.log(`published ${shown(files.current)} as ${shown(files.published)}`);
    return 0;
  }
  const review = await reviewSchema(
    readFileSync(files.published, 'utf8'),
    current,
    readApprovedChanges(files.approved),
  );
  for (const c of review.dangerous) console.log(`dangerous: ${c.message}`);
  for (const c of review.unapproved)
    console.error(`breaking, not approved: ${c.type} ${c.path ?? ''}: ${c.message}`);
  for (const a of review.stale)
    console.error(`approved but no such change: ${a.type} ${a.path} (remove it)`);
  if (review.unapproved.length > 0)
    console.error(
      `Deprecate instead (@deprecated, publish, remove later), or approve each change in ${shown(files.approved)} with its reason.`,
    );
  const ok = review.unapproved.length === 0 && review.stale.length === 0;
  if (ok) console.log(`${shown(files.current)} keeps ${shown(files.published)} working`);
  return ok ? 0 : 1;
}

if (require.main === module)
  runSchemaCheck(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : err);
      process.exitCode = 1;
    },
  );
