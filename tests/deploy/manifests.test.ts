import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SUBGRAPHS } from '@aftercare/gateway';
import { parseAllDocuments } from 'yaml';

// Validates deploy/k8s without a cluster: shape, probes, ports, secrets by reference only, and
// that every service that exists in the repository is deployed.
const root = join(__dirname, '..', '..');
const dir = join(root, 'deploy', 'k8s');

interface Doc {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  spec?: Record<string, unknown>;
  data?: Record<string, string>;
  resources?: string[];
}

const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));
const docs: Doc[] = files.flatMap((f) =>
  parseAllDocuments(readFileSync(join(dir, f), 'utf8')).map((d) => {
    if (d.errors.length) throw new Error(`${f}: ${d.errors[0]!.message}`);
    return d.toJSON() as Doc;
  }),
);
const find = (kind: string, name: string) =>
  docs.find((d) => d.kind === kind && d.metadata?.name === name);
const existingServices = SUBGRAPHS.filter((s) => {
  try {
    return readdirSync(join(root, 'services', s.name, 'src')).includes('main.ts');
  } catch {
    return false;
  }
});

type Container = {
  name: string;
  ports?: { name: string; containerPort: number }[];
  env?: { name: string; value?: string; valueFrom?: unknown }[];
  readinessProbe?: { httpGet?: { path: string } };
  livenessProbe?: { httpGet?: { path: string } };
  resources?: { requests?: Record<string, string> };
};
const containersOf = (d: Doc) =>
  (d.spec as { template: { spec: { containers: Container[] } } }).template.spec.containers;

describe('Kubernetes manifests', () => {
  it('kustomization lists every manifest file and every document has apiVersion, kind and name', () => {
    const kustomization = docs.find((d) => d.kind === 'Kustomization')!;
    expect([...kustomization.resources!].sort()).toEqual(
      files.filter((f) => f !== 'kustomization.yaml').sort(),
    );
    for (const d of docs) {
      expect(d.apiVersion).toBeTruthy();
      if (d.kind !== 'Kustomization') expect(d.metadata.name).toMatch(/^[a-z0-9-]+$/);
    }
  });

  it.each(existingServices.map((s) => [s.name, s]))(
    '%s has a Deployment, Service, HPA, PDB and migration Job that fit its defaults',
    (name, s) => {
      const port = Number(new URL(s.defaultUrl).port);
      const deployment = find('Deployment', name);
      expect(deployment).toBeDefined();
      const [container] = containersOf(deployment!);
      expect(container!.ports).toEqual(
        expect.arrayContaining([{ name: 'http', containerPort: port }]),
      );
      expect(container!.readinessProbe?.httpGet?.path).toBe('/readyz');
      expect(container!.livenessProbe?.httpGet?.path).toBe('/healthz');
      expect(container!.resources?.requests).toBeDefined();
      expect(container!.env).toEqual(
        expect.arrayContaining([{ name: 'MIGRATE_ON_START', value: 'false' }]),
      );
      expect(find('Service', name)).toBeDefined();
      expect(find('HorizontalPodAutoscaler', name)).toBeDefined();
      expect(find('PodDisruptionBudget', name)).toBeDefined();
      const job = find('Job', `${name}-migrate`);
      expect(JSON.stringify(job)).toContain(`/app/services/${name}/dist/migrate.js`);
      const gateway = containersOf(find('Deployment', 'gateway')!)[0]!;
      expect(gateway.env).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ name: `${name.toUpperCase()}_SUBGRAPH_URL` }),
        ]),
      );
    },
  );

  it('secrets are only referenced, never written in a manifest', () => {
    for (const d of docs) {
      expect(d.kind).not.toBe('Secret');
      if (d.kind === 'Deployment' || d.kind === 'Job') {
        const spec = JSON.stringify(d.spec);
        for (const key of ['JWT_SECRET', 'PG_URL', 'DATABASE_URL']) {
          const env = containersOf(d)
            .flatMap((c) => c.env ?? [])
            .find((e) => e.name === key);
          if (env)
            expect(env).toEqual({
              name: key,
              valueFrom: expect.objectContaining({ secretKeyRef: expect.anything() }),
            });
        }
        expect(spec).not.toMatch(/postgres:\/\/[^"]*:[^"]*@/);
      }
    }
  });
});
