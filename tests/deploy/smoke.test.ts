import { healthV1 } from '@aftercare/proto';
import { testGrpcClient } from '@aftercare/testkit';
import { signDevToken } from '@aftercare/gateway';
import { startLocalCluster, type LocalCluster } from './support/cluster';
import { type K8sObject, renderOverlay } from './support/manifests';
import { probePort } from './support/pods';

// Issue 10 point 8, the manifest smoke test: every Deployment and Job of the prod overlay, run
// from the built tree with the container's command, args and environment exactly as rendered
// (image ENTRYPOINT and ENV from deploy/Dockerfile; Secrets and the operator's ConfigMap from a
// fixture). Only addresses change: /app → this checkout, each Service → a local port in front of
// its pods, NATS_URL/the OTLP collector/EVENT_SUBJECT_PREFIX → this machine's, with the declared
// streams and consumers created under that prefix. Run `npx turbo run build` first (turbo does it
// before this workspace's tests). This is the test that would have caught every pod exiting at
// start for want of OTEL_SERVICE_NAME.
const SERVICES = ['customer', 'workorder', 'inventory', 'complaint', 'survey'];
let objects: K8sObject[];
let cluster: LocalCluster;

beforeAll(async () => {
  objects = renderOverlay('prod');
  cluster = await startLocalCluster(objects, { label: 'smoke', replicas: 1 });
}, 400_000);

afterAll(async () => {
  await cluster?.cleanup();
});

describe('the prod overlay run as its manifests say', () => {
  it('every migration Job and every await-migrations init container exits 0', () => {
    const jobs = Object.keys(cluster.jobExitCodes).filter((k) => k.startsWith('job/'));
    expect(jobs.sort()).toEqual(SERVICES.map((s) => `job/${s}-migrate-0.1.0`).sort());
    expect(Object.values(cluster.jobExitCodes).every((c) => c === 0)).toBe(true);
    expect(Object.keys(cluster.jobExitCodes)).toHaveLength(2 * SERVICES.length);
  });

  it('every service and the gateway answer their startup, readiness and liveness probes', async () => {
    expect(cluster.replicas.map((r) => r.service).sort()).toEqual([...SERVICES, 'gateway'].sort());
    for (const r of cluster.replicas) {
      for (const probe of [
        r.container.startupProbe,
        r.container.readinessProbe,
        r.container.livenessProbe,
      ]) {
        if (probe?.httpGet) {
          const port = probePort(r.container, probe.httpGet.port, r.ports);
          const res = await fetch(`http://127.0.0.1:${port}${probe.httpGet.path}`);
          expect({ process: r.service, path: probe.httpGet.path, status: res.status }).toEqual({
            process: r.service,
            path: probe.httpGet.path,
            status: 200,
          });
        }
        if (probe?.grpc) {
          // Kubernetes' native gRPC probe: grpc.health.v1 Check, no credentials.
          const port = probePort(r.container, probe.grpc.port, r.ports);
          const health = testGrpcClient(healthV1.HealthClient, `127.0.0.1:${port}`);
          try {
            expect(
              await health.check({ service: probe.grpc.service ?? '' }, { identity: null }),
            ).toEqual({
              status: healthV1.HealthCheckResponse_ServingStatus.SERVING,
            });
          } finally {
            health.close();
          }
        }
      }
    }
  });

  it('a GraphQL mutation and a query through the gateway reach the services and their databases', async () => {
    const token = signDevToken({
      sub: 'smoke-agent',
      roles: ['agent', 'manager'],
      secret: cluster.jwtSecret,
    });
    const gql = async <T>(query: string, variables: Record<string, unknown> = {}) => {
      const res = await fetch(cluster.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query, variables }),
      });
      return (await res.json()) as { data?: T; errors?: unknown[] };
    };
    const created = await gql<{ createCustomer: { customer: { id: string; code: string } } }>(
      `mutation { createCustomer(input: { kind: PERSON, name: "Smoke Test", contacts: [{ name: "Smoke Test", mobile: "13800138000" }], addresses: [{ region: { province: "Zhejiang", city: "Hangzhou" } }] }) { customer { id code } } }`,
    );
    expect(created.errors).toBeUndefined();
    const { id, code } = created.data!.createCustomer.customer;
    // One customer from the customer subgraph, its complaints from the complaint subgraph.
    const read = await gql(
      'query ($id: ID!) { customer(id: $id) { code name complaints { nodes { id } } } }',
      { id },
    );
    expect(read).toEqual({
      data: { customer: { code, name: 'Smoke Test', complaints: { nodes: [] } } },
    });
  });

  it('on SIGTERM every process shuts down cleanly within its grace period less the preStop delay, having exported its spans', async () => {
    const results = await cluster.stop();
    for (const r of cluster.replicas) {
      const spec = r.workload.spec.template.spec;
      const budgetMs =
        ((spec.terminationGracePeriodSeconds ?? 30) -
          (r.container.lifecycle?.preStop?.sleep?.seconds ?? 0)) *
        1000;
      const result = results.find((x) => x.label === r.process.label)!;
      expect({ process: r.service, code: result.code, inBudget: result.ms < budgetMs }).toEqual({
        process: r.service,
        code: 0,
        inBudget: true,
      });
    }
    // OTEL_EXPORTER_OTLP_ENDPOINT from the manifests (rewritten to a local collector) is used.
    expect(cluster.otlpExports()).toBeGreaterThan(0);
  });
});
