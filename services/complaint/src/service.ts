import { join } from 'node:path';
import { defineService, loadTypeDefs } from '@aftercare/kit';
import { complaintV1 } from '@aftercare/proto';
import { deadlineRound } from './app/deadline-scan';
import { SERVICE_IDENTITY, type ComplaintDeps } from './app/deps';
import { scanUncorrectedViolations } from './app/penalties';
import { COMPLAINT_COUNTERS } from './business-metrics';
import { customerDirectory, workOrderDirectory } from './clients/directories';
import { type ComplaintConfig, complaintScheduler } from './config';
import { complaintEntities } from './db/entities';
import { complaintMigrations } from './db/migrations';
import { subscriptions } from './events/subscriptions';
import { type ComplaintContext, complaintContext, complaintResolvers } from './graphql/resolvers';
import { complaintHandlers } from './grpc/handlers';

export const SCHEMA_PATH = join(__dirname, 'graphql', 'schema.graphql');

export const complaintService = defineService<ComplaintConfig, ComplaintDeps, ComplaintContext>({
  entities: complaintEntities,
  migrations: complaintMigrations,
  deps: (runtime) => {
    const { config } = runtime;
    return {
      orm: runtime.orm,
      events: runtime.outbox,
      customers: customerDirectory(runtime),
      workOrders: workOrderDirectory(runtime),
      calendar: config.calendar,
      now: () => new Date(),
      serviceIdentity: SERVICE_IDENTITY,
      penaltyPolicy: {
        pointValueFen: config.PENALTY_POINT_VALUE_FEN,
        escalateFromNth: config.PENALTY_ESCALATE_FROM_NTH,
        escalatedPoints: config.PENALTY_ESCALATED_POINTS,
        correctionWorkingDays: config.PENALTY_CORRECTION_WORKING_DAYS,
      },
      deadlinePolicy: {
        solutionWorkingDays: config.COMPLAINT_SOLUTION_WORKING_DAYS,
        closureDays: config.COMPLAINT_CLOSURE_DAYS,
        escalationHours: config.COMPLAINT_ESCALATION_HOURS,
      },
    };
  },
  grpc: (server, deps) =>
    server.addService(complaintV1.ComplaintServiceService, complaintHandlers(deps)),
  graphql: {
    typeDefs: loadTypeDefs(SCHEMA_PATH),
    resolvers: complaintResolvers,
    context: complaintContext,
  },
  subscriptions: (deps, runtime) => subscriptions(deps, runtime.logger),
  // Both on the one pair of settings: COMPLAINT_SCHEDULER and COMPLAINT_SCAN_INTERVAL_MS.
  schedulers: (deps, config) => {
    const settings = complaintScheduler.of(config);
    return [
      { name: 'complaint deadline scheduler', ...settings, run: () => deadlineRound(deps) },
      {
        name: 'penalty correction scheduler',
        ...settings,
        run: () => scanUncorrectedViolations(deps),
      },
    ];
  },
  counters: COMPLAINT_COUNTERS,
});

export const complaintSpec = complaintService.spec;
export const startComplaintService = complaintService.start;
