import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { SUBGRAPHS } from '@aftercare/gateway';
import {
  type Container,
  containersOf,
  generatedName,
  imageTag,
  type K8sObject,
  named,
  ofKind,
  OVERLAYS,
  type PodSpec,
  REPO_ROOT,
  renderOverlay,
  selects,
  type Workload,
} from './support/manifests';

// Issue 10 point 8: every overlay rendered with kubectl's kustomize and checked without a
// cluster — each object against the Kubernetes OpenAPI schemas (kubernetes-models), then the
// policies of points 1–3: Pod Security "restricted", NetworkPolicies, PDBs, HPAs without
// replicas, probes, resources, images never `:latest`, migration Jobs per release.
const rendered = Object.fromEntries(OVERLAYS.map((o) => [o, renderOverlay(o)])) as Record<
  (typeof OVERLAYS)[number],
  K8sObject[]
>;
const SERVICES = SUBGRAPHS.map((s) => s.name).filter((name) => {
  try {
    return readdirSync(join(REPO_ROOT, 'services', name, 'src')).includes('main.ts');
  } catch {
    return false;
  }
});
const PROCESSES = [...SERVICES, 'gateway'];

interface Validation {
  kind: string;
  name: string;
  unknown?: boolean;
  errors: string | null;
}

/** kubernetes-models is ESM-only: validate in a plain Node process (the test runner is CommonJS). */
function validate(objects: K8sObject[]): Validation[] {
  const out = execFileSync(process.execPath, [join(__dirname, 'support', 'validate-objects.mjs')], {
    input: JSON.stringify(objects),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(out) as Validation[];
}

const workloads = (objects: K8sObject[]) => [
  ...ofKind<Workload>(objects, 'Deployment'),
  ...ofKind<Workload>(objects, 'Job'),
];
const mainContainer = (d: Workload) => d.spec.template.spec.containers[0]!;
const label = (w: K8sObject, c?: Container) =>
  `${w.kind}/${w.metadata.name}${c ? `/${c.name}` : ''}`;

describe.each(OVERLAYS)('overlay %s', (overlay) => {
  const objects = rendered[overlay];
  const deployments = ofKind<Workload>(objects, 'Deployment');
  const config = (base: string) => named(objects, 'ConfigMap', generatedName(objects, base)!).data!;

  it('every object is valid against the Kubernetes OpenAPI schemas; only the NACK resources are custom', () => {
    const results = validate(objects);
    expect(results.filter((r) => r.errors)).toEqual([]);
    expect([...new Set(results.filter((r) => r.unknown).map((r) => r.kind))].sort()).toEqual(
      overlay === 'prod' ? ['Consumer', 'Stream'] : [],
    );
  });

  it('deploys every process: Deployment, Service, HPA, PDB; every service also a migration Job', () => {
    expect(deployments.map((d) => d.metadata.name).sort()).toEqual([...PROCESSES].sort());
    for (const name of PROCESSES) {
      expect(named(objects, 'Service', name)).toBeDefined();
      expect(named(objects, 'HorizontalPodAutoscaler', name)).toBeDefined();
    }
    const tag = (name: string) =>
      imageTag(mainContainer(named<Workload>(objects, 'Deployment', name)).image);
    expect(
      ofKind(objects, 'Job')
        .map((j) => j.metadata.name)
        .sort(),
    ).toEqual(SERVICES.map((s) => `${s}-migrate-${tag(s)}`).sort());
  });

  it('the namespace enforces Pod Security "restricted" and every pod spec meets it', () => {
    const [ns] = ofKind(objects, 'Namespace');
    expect(ns!.metadata.labels).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'restricted',
    });
    for (const w of workloads(objects)) {
      const pod: PodSpec = w.spec.template.spec;
      const podSec = pod.securityContext ?? {};
      expect({
        w: label(w),
        automount: pod.automountServiceAccountToken,
        hostNetwork: pod.hostNetwork,
      }).toEqual({
        w: label(w),
        automount: false,
        hostNetwork: undefined,
      });
      expect(podSec).toMatchObject({
        runAsNonRoot: true,
        seccompProfile: { type: 'RuntimeDefault' },
      });
      expect(podSec.runAsUser).toBeGreaterThan(0);
      for (const v of (pod.volumes ?? []) as Record<string, unknown>[])
        expect(Object.keys(v).filter((k) => k !== 'name')).toEqual([
          expect.stringMatching(/^(emptyDir|secret|configMap|projected)$/),
        ]);
      for (const c of containersOf(w as Workload))
        expect({ c: label(w, c), sec: c.securityContext }).toEqual({
          c: label(w, c),
          sec: expect.objectContaining({
            allowPrivilegeEscalation: false,
            readOnlyRootFilesystem: true,
            capabilities: { drop: ['ALL'] },
          }),
        });
    }
  });

  it('no Deployment sets replicas (its HPA owns the scale); each has a PDB and topology spread', () => {
    for (const d of deployments) {
      expect({ d: label(d), replicas: d.spec.replicas }).toEqual({
        d: label(d),
        replicas: undefined,
      });
      const hpa = named(objects, 'HorizontalPodAutoscaler', d.metadata.name);
      expect(hpa.spec!.scaleTargetRef).toEqual({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        name: d.metadata.name,
      });
      const pdbs = ofKind(objects, 'PodDisruptionBudget').filter((p) =>
        selects(
          (p.spec as { selector: { matchLabels: Record<string, string> } }).selector.matchLabels,
          d.spec.template.metadata.labels,
        ),
      );
      expect({ d: label(d), pdbs: pdbs.length }).toEqual({ d: label(d), pdbs: 1 });
      expect(d.spec.template.spec.topologySpreadConstraints).toBeDefined();
    }
  });

  it('a default-deny NetworkPolicy, and every Deployment selected by one of its own', () => {
    const policies = ofKind(objects, 'NetworkPolicy');
    const spec = (p: K8sObject) =>
      p.spec as { podSelector: { matchLabels?: Record<string, string> }; policyTypes: string[] };
    expect(
      policies.some(
        (p) =>
          Object.keys(spec(p).podSelector).length === 0 &&
          spec(p).policyTypes.join() === 'Ingress,Egress',
      ),
    ).toBe(true);
    for (const d of deployments) {
      const own = policies.filter((p) => {
        const m = spec(p).podSelector.matchLabels;
        return (
          m &&
          selects(m, d.spec.template.metadata.labels) &&
          m['app.kubernetes.io/name'] === d.metadata.name
        );
      });
      expect({ d: label(d), policies: own.length }).toEqual({ d: label(d), policies: 1 });
    }
  });

  it('gRPC ports take traffic only from the services that call them', () => {
    const callers: Record<string, string[]> = {};
    for (const s of SERVICES) {
      const data = config(`aftercare-${s}`);
      for (const [k, v] of Object.entries(data))
        if (k.endsWith('_GRPC_ADDRESS')) (callers[v.split(':')[0]!] ??= []).push(s);
    }
    for (const s of SERVICES) {
      const grpcPort = Number(config(`aftercare-${s}`).GRPC_PORT);
      const ingress = (
        named(objects, 'NetworkPolicy', s).spec as {
          ingress: {
            from?: { podSelector?: { matchExpressions?: { values: string[] }[] } }[];
            ports: { port: number }[];
          }[];
        }
      ).ingress;
      const allowed = ingress
        .filter((r) => r.ports.some((p) => p.port === grpcPort))
        .flatMap((r) => r.from ?? [{}])
        .flatMap((f) => f.podSelector?.matchExpressions?.[0]?.values ?? ['<anyone>']);
      expect({ service: s, allowed: allowed.sort() }).toEqual({
        service: s,
        allowed: (callers[s] ?? []).sort(),
      });
    }
  });

  it('every container has resources, every server startup/readiness/liveness probes (services a grpc.health.v1 probe)', () => {
    for (const w of workloads(objects))
      for (const c of containersOf(w as Workload))
        expect({ c: label(w, c), resources: c.resources }).toEqual({
          c: label(w, c),
          resources: {
            requests: { cpu: expect.any(String), memory: expect.any(String) },
            limits: { memory: expect.any(String) },
          },
        });
    for (const d of deployments) {
      const c = mainContainer(d);
      expect(c.startupProbe?.httpGet?.path).toBe('/healthz');
      expect(c.readinessProbe?.httpGet?.path).toBe('/readyz');
      if (d.metadata.name === 'gateway') expect(c.livenessProbe?.httpGet?.path).toBe('/healthz');
      else
        expect(c.livenessProbe?.grpc?.port).toBe(
          Number(config(`aftercare-${d.metadata.name}`).GRPC_PORT),
        );
    }
  });

  it('images come from kustomize images with a release tag, never :latest', () => {
    for (const w of workloads(objects))
      for (const c of containersOf(w as Workload)) {
        expect(c.image).toMatch(/\/aftercare\/[a-z]+:[A-Za-z0-9_][A-Za-z0-9_.-]*$/);
        expect(imageTag(c.image)).not.toBe('latest');
      }
  });

  it('ports in the ConfigMaps match the containers, and subgraph/gRPC addresses are short Service names (any namespace)', () => {
    for (const d of deployments) {
      const data = config(`aftercare-${d.metadata.name}`);
      const port = (n: string) => mainContainer(d).ports!.find((p) => p.name === n)?.containerPort;
      expect(Number(data.HTTP_PORT)).toBe(port('http'));
      expect(Number(data.ADMIN_PORT)).toBe(port('admin'));
      expect(d.spec.template.metadata).toMatchObject({
        annotations: { 'prometheus.io/port': data.ADMIN_PORT, 'prometheus.io/path': '/metrics' },
      });
      if (d.metadata.name !== 'gateway') expect(Number(data.GRPC_PORT)).toBe(port('grpc'));
      for (const [k, v] of Object.entries(data))
        if (/_(GRPC_ADDRESS|SUBGRAPH_URL)$/.test(k))
          expect({ k, v }).toEqual({
            k,
            v: expect.stringMatching(/^(http:\/\/)?[a-z]+:\d+(\/graphql)?$/),
          });
    }
    const gateway = config('aftercare-gateway');
    for (const s of SERVICES)
      expect(gateway[`${s.toUpperCase()}_SUBGRAPH_URL`]).toBe(
        `http://${s}:${config(`aftercare-${s}`).HTTP_PORT}/graphql`,
      );
  });

  it('every container names its OpenTelemetry service and gets the OTLP endpoint; migrations are off at start', () => {
    const shared = config('aftercare-shared');
    expect(shared.OTEL_EXPORTER_OTLP_ENDPOINT).toMatch(/^http:\/\//);
    expect(shared.MIGRATE_ON_START).toBe('false');
    for (const w of workloads(objects))
      for (const c of containersOf(w as Workload)) {
        expect(c.env).toContainEqual({
          name: 'OTEL_SERVICE_NAME',
          value: w.metadata.labels!['app.kubernetes.io/name'],
        });
        expect(c.envFrom).toContainEqual({
          configMapRef: { name: generatedName(objects, 'aftercare-shared') },
        });
      }
  });

  it('secrets are only referenced (one database role per service), never rendered', () => {
    expect(ofKind(objects, 'Secret')).toEqual([]);
    for (const w of workloads(objects))
      for (const c of containersOf(w as Workload))
        for (const e of c.env ?? [])
          if (/^(DATABASE_URL|PG_URL|JWT_SECRET|INTERNAL_AUTH_PRIVATE_KEY)$/.test(e.name))
            expect(e).toEqual({
              name: e.name,
              valueFrom: {
                secretKeyRef: {
                  name: `aftercare-${w.metadata.labels!['app.kubernetes.io/name']}`,
                  key: e.name,
                },
              },
            });
  });

  it('the grace period outlasts preStop plus the shutdown budget; migration Jobs clean up after themselves', () => {
    const shutdownS = Number(config('aftercare-shared').SHUTDOWN_TIMEOUT_MS) / 1000;
    for (const d of deployments) {
      const preStop = mainContainer(d).lifecycle?.preStop?.sleep?.seconds ?? 0;
      expect(preStop).toBeGreaterThan(0);
      // The steps that wait on work in flight: HTTP drain, gRPC drain, outbox flush (each half the
      // budget), consumers finishing the message in hand, then the connections (docs: deploy/README.md).
      expect(d.spec.template.spec.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(
        preStop + 3 * shutdownS,
      );
    }
    for (const j of ofKind(objects, 'Job'))
      expect(j.spec).toMatchObject({
        ttlSecondsAfterFinished: expect.any(Number),
        backoffLimit: expect.any(Number),
      });
  });
});

describe('offline validation', () => {
  it('a deliberately broken object fails: a named port where a number belongs, a memory limit that is no quantity', () => {
    const deployment = structuredClone(ofKind<Workload>(rendered.prod, 'Deployment')[0]!);
    deployment.metadata.name = 'broken';
    const c = deployment.spec.template.spec.containers[0]! as unknown as Record<string, unknown> &
      Container;
    c.ports = [{ name: 'http', containerPort: 'http' as unknown as number }];
    c.resources = { limits: { memory: 'lots' } };
    const [result] = validate([deployment]);
    expect(result!.errors).toContain('containerPort must be integer');
    expect(result!.errors).toContain('memory must match format "quantity"');
  });

  it('the operator-declared streams cover every stream a consumer reads, with replicas and limits', () => {
    const streams = ofKind(rendered.prod, 'Stream').map((s) => s.spec as Record<string, unknown>);
    for (const s of streams)
      expect(s).toMatchObject({
        replicas: 3,
        storage: 'file',
        maxAge: expect.stringMatching(/^\d+h$/),
        maxBytes: expect.any(Number),
        duplicateWindow: '2m',
      });
    const names = streams.map((s) => s.name);
    for (const c of ofKind(rendered.prod, 'Consumer')) {
      const spec = c.spec as Record<string, unknown>;
      expect(names).toContain(spec.streamName);
      expect(spec).toMatchObject({
        durableName: c.metadata.name,
        ackPolicy: 'explicit',
        deliverPolicy: 'all',
        // ADR 0025: the service parks poison events itself; a server limit would drop them.
        maxDeliver: -1,
      });
    }
  });

  it('ADR 0025 every service that consumes events has a dead-letter stream that keeps parked events 400 days and lets a replay remove them', () => {
    const streams = ofKind(rendered.prod, 'Stream').map((s) => s.spec as Record<string, unknown>);
    const consuming = [
      ...new Set(ofKind(rendered.prod, 'Consumer').map((c) => c.metadata.name.split('-on-')[0]!)),
    ].sort();
    expect(consuming).toEqual(['complaint', 'customer', 'inventory', 'survey']);
    for (const service of consuming)
      expect(streams).toContainEqual(
        expect.objectContaining({
          name: `AFTERCARE_DEADLETTER_${service.toUpperCase()}`,
          subjects: [`aftercare.deadletter.${service}.>`],
          maxAge: '9600h',
          denyDelete: false,
        }),
      );
    // No stream takes another's subjects: `deadletter` is no service's name.
    const subjects = streams.flatMap((s) => s.subjects as string[]);
    expect(subjects.filter((s) => s === 'aftercare.deadletter.>')).toEqual([]);
    expect(new Set(subjects).size).toBe(subjects.length);
  });
});

describe('optional dependencies', () => {
  it('the CloudNativePG cluster has three instances and one role and database per service, owned by it', () => {
    const objects = renderOverlay(join(REPO_ROOT, 'deploy', 'k8s', 'dependencies', 'postgresql'));
    const cluster = named(objects, 'Cluster', 'aftercare-pg').spec as {
      instances: number;
      managed: { roles: { name: string; login: boolean; passwordSecret: { name: string } }[] };
    };
    expect(cluster.instances).toBe(3);
    expect(cluster.managed.roles).toEqual(
      SERVICES.map((s) => ({
        name: `aftercare_${s}`,
        ensure: 'present',
        login: true,
        passwordSecret: { name: `aftercare-pg-${s}` },
      })),
    );
    const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
    expect(
      ofKind(objects, 'Database')
        .map((d) => d.spec as { name: string })
        .sort(byName),
    ).toEqual(
      SERVICES.map((s) => ({
        cluster: { name: 'aftercare-pg' },
        name: `aftercare_${s}`,
        owner: `aftercare_${s}`,
      })).sort(byName),
    );
  });
});
