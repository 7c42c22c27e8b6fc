import { randomBytes } from 'node:crypto';
import { TEST_NATS_URL } from '@aftercare/testkit';
import {
  createServiceDatabases,
  internalAuthKeys,
  otlpCollector,
  provisionEventStreams,
  randomSecret,
} from './fixtures';
import { type Container, type K8sObject, ofKind, serviceOfImage, type Workload } from './manifests';
import {
  awaitHttpProbe,
  commandLine,
  containerEnv,
  imageSpec,
  type LocalProcess,
  type OperatorObjects,
  planPods,
  probePort,
  rewriteEnv,
  startProcess,
  terminate,
} from './pods';

/** One running replica of a Deployment: its main container's process and local ports. */
export interface Replica {
  service: string;
  index: number;
  container: Container;
  workload: Workload;
  process: LocalProcess;
  ports: Map<number, number>;
  env: Record<string, string>;
}

export interface LocalCluster {
  /** The gateway's GraphQL URL through its Service (spread over its replicas). */
  graphqlUrl: string;
  jwtSecret: string;
  subjectPrefix: string;
  databaseUrls: Record<string, string>;
  replicas: Replica[];
  /** Exit codes of the migration Jobs and of every init container. */
  jobExitCodes: Record<string, number | null>;
  otlpExports(): number;
  /** SIGTERM every replica, gateway first; resolves with each one's exit code and time. */
  stop(): Promise<{ label: string; code: number | null; ms: number }[]>;
  /** Removes databases, roles and streams; after `stop`. */
  cleanup(): Promise<void>;
}

/** A migration Job or init container that has not finished by then has failed. */
const RUN_TIMEOUT_MS = 120_000;

/**
 * As long as the kubelet would wait (the startup probe's whole budget), times SMOKE_SLOWDOWN on a
 * machine busier than a node (default 2: a shared 2-core CI machine starts six processes at once).
 */
const startupBudgetMs = (c: Container) =>
  (c.startupProbe?.periodSeconds ?? 10) *
  (c.startupProbe?.failureThreshold ?? 3) *
  1000 *
  Number(process.env.SMOKE_SLOWDOWN ?? 2);

/**
 * Runs a rendered overlay on this machine: the operator's objects from fixtures, every migration
 * Job to completion, then `replicas` copies of every Deployment (init containers first), each
 * waited for on its readiness probe. Processes reach each other through one local proxy per
 * Service port, PostgreSQL and NATS are the test servers.
 */
export async function startLocalCluster(
  objects: K8sObject[],
  options: { label: string; replicas: number; variables?: Record<string, string> },
): Promise<LocalCluster> {
  const deployments = ofKind<Workload>(objects, 'Deployment');
  const processes = deployments.map((d) =>
    serviceOfImage(d.spec.template.spec.containers[0]!.image),
  );
  const services = processes.filter((p) => p !== 'gateway');
  const subjectPrefix = `t${options.label}${randomBytes(3).toString('hex')}`;
  const databases = await createServiceDatabases(services, options.label);
  const streams = await provisionEventStreams(objects, subjectPrefix);
  const collector = await otlpCollector();
  const keys = internalAuthKeys(processes);
  const jwtSecret = randomSecret();
  const operator: OperatorObjects = {
    'aftercare-internal-auth': { INTERNAL_AUTH_TRUSTED_KEYS: keys.trustedKeys },
    'aftercare-gateway': {
      JWT_SECRET: jwtSecret,
      INTERNAL_AUTH_PRIVATE_KEY: keys.privateKeys.gateway!,
    },
  };
  for (const s of services)
    operator[`aftercare-${s}`] = {
      DATABASE_URL: databases.urls[s]!,
      INTERNAL_AUTH_PRIVATE_KEY: keys.privateKeys[s]!,
    };
  const variables = {
    NATS_URL: TEST_NATS_URL,
    EVENT_SUBJECT_PREFIX: subjectPrefix,
    OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
    ...options.variables,
  };
  const { plans, serviceAddresses, proxies } = await planPods(objects, options.replicas);
  const running: Replica[] = [];
  const jobExitCodes: Record<string, number | null> = {};
  const servers: { close(): void }[] = [
    {
      close() {
        collector.server.close();
        collector.server.closeAllConnections();
      },
    },
    ...proxies,
  ];

  const runToCompletion = async (
    label: string,
    container: Container,
    env: Record<string, string>,
    image: ReturnType<typeof imageSpec>,
  ) => {
    const proc = startProcess(label, commandLine(container, image), env);
    let timer: NodeJS.Timeout | undefined;
    const code = await Promise.race([
      proc.exited,
      new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), RUN_TIMEOUT_MS))),
    ]).finally(() => clearTimeout(timer));
    if (code === 'timeout') {
      proc.child.kill('SIGKILL');
      throw new Error(`${label} did not finish in ${RUN_TIMEOUT_MS} ms:\n${proc.output()}`);
    }
    jobExitCodes[label] = code;
    if (code !== 0) throw new Error(`${label} exited ${code}:\n${proc.output()}`);
  };

  const cluster: LocalCluster = {
    graphqlUrl: `http://${serviceAddresses.get('gateway:80')}/graphql`,
    jwtSecret,
    subjectPrefix,
    databaseUrls: databases.urls,
    replicas: running,
    jobExitCodes,
    otlpExports: collector.exports,
    async stop() {
      const results: { label: string; code: number | null; ms: number }[] = [];
      const order = [
        running.filter((r) => r.service === 'gateway'),
        running.filter((r) => r.service !== 'gateway'),
      ];
      for (const group of order)
        results.push(
          ...(await Promise.all(
            group.map(async (r) => ({
              label: r.process.label,
              ...(await terminate(
                r.process,
                (r.workload.spec.template.spec.terminationGracePeriodSeconds ?? 30) * 1000,
              )),
            })),
          )),
        );
      return results;
    },
    async cleanup() {
      for (const r of running)
        if (r.process.child.exitCode === null) r.process.child.kill('SIGKILL');
      // Stop listening without waiting for kept-alive connections: nothing may hold up the drops.
      for (const s of servers) s.close();
      await streams.remove();
      await databases.drop();
    },
  };

  try {
    // Migration Jobs first, all at once, as `kubectl apply` creates them with the Deployments.
    await Promise.all(
      ofKind<Workload>(objects, 'Job').map(async (job) => {
        const [container] = job.spec.template.spec.containers;
        const image = imageSpec(serviceOfImage(container!.image));
        const env = rewriteEnv(containerEnv(container!, objects, operator, image), {
          serviceAddresses,
          variables,
          ports: new Map(),
        });
        await runToCompletion(`job/${job.metadata.name}`, container!, env, image);
      }),
    );
    await Promise.all(
      plans.flatMap((plan) =>
        plan.replicaPorts.map(async (ports, index) => {
          const rewrites = { serviceAddresses, variables, ports };
          const label = `${plan.service}-${index}`;
          for (const init of plan.workload.spec.template.spec.initContainers ?? []) {
            const env = rewriteEnv(containerEnv(init, objects, operator, plan.image), rewrites);
            await runToCompletion(`${label}/${init.name}`, init, env, plan.image);
          }
          const container = plan.workload.spec.template.spec.containers[0]!;
          const env = rewriteEnv(containerEnv(container, objects, operator, plan.image), rewrites);
          const proc = startProcess(label, commandLine(container, plan.image), env);
          running.push({
            service: plan.service,
            index,
            container,
            workload: plan.workload,
            process: proc,
            ports,
            env,
          });
          const probe = container.readinessProbe!.httpGet!;
          await awaitHttpProbe(
            proc,
            `http://127.0.0.1:${probePort(container, probe.port, ports)}${probe.path}`,
            startupBudgetMs(container),
          );
        }),
      ),
    );
  } catch (err) {
    await cluster.stop().catch(() => []);
    await cluster.cleanup().catch(() => undefined);
    throw err;
  }
  return cluster;
}
