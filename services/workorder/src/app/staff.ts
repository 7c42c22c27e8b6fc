import type { FilterQuery } from '@mikro-orm/core';
import { z } from 'zod';
import {
  decodeCursor,
  encodeCursor,
  type EntityManager,
  type Identity,
  type Page,
  type PageRequest,
  pageFromRows,
  pageSize,
  notFound,
  requireRole,
  inRequestedOrder,
} from '@aftercare/kit';
import { optionalStationCode } from '@aftercare/kernel';
import { StaffRecord } from '../db/entities';
import { optionalText, parseRegion, requiredText } from '../domain';
import { CAN_MANAGE_STAFF, CAN_READ } from './access';
import type { WorkOrderDeps } from './deps';

export interface StaffInput {
  id: string;
  name: string;
  position?: string | null;
  skills?: string[] | null;
  region?: { province?: string | null; city?: string | null; district?: string | null } | null;
  team?: string | null;
  /** The service station the person works from (validated like warehouse codes). */
  stationCode?: string | null;
  teamLeadId?: string | null;
  active?: boolean | null;
}

/** The roster: technicians with skills, region, team and team lead (R-WO-4). Idempotent by id. */
export async function upsertStaff(
  deps: WorkOrderDeps,
  caller: Identity | null,
  input: StaffInput,
): Promise<StaffRecord> {
  requireRole(caller, ...CAN_MANAGE_STAFF);
  const id = requiredText(input.id, 'id', 64);
  const region = input.region ? parseRegion(input.region, 'region') : null;
  const skills = [
    ...new Set(
      (input.skills ?? []).map((s, i) => requiredText(s, `skills.${i}`, 50).toUpperCase()),
    ),
  ];
  return deps.orm.em.fork().transactional(async (em) => {
    const now = deps.now();
    const staff =
      (await em.findOne(StaffRecord, { id })) ??
      Object.assign(new StaffRecord(), { id, createdAt: now });
    Object.assign(staff, {
      name: requiredText(input.name, 'name', 100),
      position: optionalText(input.position, 'position', 50),
      skills,
      province: region?.province ?? null,
      city: region?.city ?? null,
      team: optionalText(input.team, 'team', 50),
      stationCode: optionalStationCode(input.stationCode, 'stationCode'),
      teamLeadId: optionalText(input.teamLeadId, 'teamLeadId', 64),
      active: input.active ?? true,
      updatedAt: now,
    });
    em.persist(staff);
    return staff;
  });
}

export async function getStaff(
  em: EntityManager,
  caller: Identity | null,
  id: string,
): Promise<StaffRecord> {
  requireRole(caller, ...CAN_READ);
  const staff = await em.findOne(StaffRecord, { id });
  if (!staff) throw notFound('Staff', id);
  return staff;
}

export async function batchGetStaff(
  em: EntityManager,
  caller: Identity | null,
  ids: readonly string[],
): Promise<StaffRecord[]> {
  requireRole(caller, ...CAN_READ);
  const found = ids.length ? await em.find(StaffRecord, { id: { $in: [...new Set(ids)] } }) : [];
  return inRequestedOrder(ids, found);
}

const staffCursor = z.object({ n: z.string(), id: z.string() });

/** The roster by name (then id), keyset-paged on both so pages stay stable while staff are added. */
export async function listStaff(
  em: EntityManager,
  caller: Identity | null,
  f: {
    team?: string | null;
    stationCode?: string | null;
    skill?: string | null;
    activeOnly?: boolean | null;
  } & PageRequest,
): Promise<Page<StaffRecord>> {
  requireRole(caller, ...CAN_READ);
  const first = pageSize(f.first);
  const stationCode = optionalStationCode(f.stationCode, 'stationCode');
  const base: FilterQuery<StaffRecord> = {
    ...(f.team ? { team: f.team } : {}),
    ...(stationCode ? { stationCode } : {}),
    ...(f.skill ? { skills: { $contains: [f.skill.toUpperCase()] } } : {}),
    ...(f.activeOnly ? { active: true } : {}),
  };
  const after = f.after ? decodeCursor(f.after, (v) => staffCursor.parse(v)) : null;
  const filter: FilterQuery<StaffRecord> = after
    ? {
        $and: [
          base,
          { $or: [{ name: { $gt: after.n } }, { name: after.n, id: { $gt: after.id } }] },
        ],
      }
    : base;
  const [rows, total] = await Promise.all([
    em.find(StaffRecord, filter, { orderBy: [{ name: 'asc' }, { id: 'asc' }], limit: first + 1 }),
    em.count(StaffRecord, base),
  ]);
  return pageFromRows(rows, first, total, (s) => encodeCursor({ n: s.name, id: s.id }));
}
