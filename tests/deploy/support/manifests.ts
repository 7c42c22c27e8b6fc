import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

/** The repository root; also what an image's /app holds (deploy/Dockerfile copies the pruned tree there). */
export const REPO_ROOT = join(__dirname, '..', '..', '..');
export const K8S_DIR = join(REPO_ROOT, 'deploy', 'k8s');
export const OVERLAYS = ['dev', 'prod'] as const;
export type Overlay = (typeof OVERLAYS)[number];

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  spec?: Record<string, unknown>;
  data?: Record<string, string>;
  [key: string]: unknown;
}

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: {
    secretKeyRef?: { name: string; key: string; optional?: boolean };
    configMapKeyRef?: { name: string; key: string; optional?: boolean };
  };
}

export interface Probe {
  httpGet?: { path: string; port: number | string };
  grpc?: { port: number; service?: string };
  periodSeconds?: number;
  failureThreshold?: number;
}

export interface Container {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  ports?: { name?: string; containerPort: number }[];
  env?: EnvVar[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  startupProbe?: Probe;
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  lifecycle?: { preStop?: { sleep?: { seconds: number } } };
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: Record<string, unknown>;
}

export interface PodSpec {
  containers: Container[];
  initContainers?: Container[];
  securityContext?: Record<string, unknown>;
  terminationGracePeriodSeconds?: number;
  automountServiceAccountToken?: boolean;
  [key: string]: unknown;
}

export interface Workload extends K8sObject {
  spec: {
    replicas?: number;
    selector?: { matchLabels: Record<string, string> };
    template: { metadata: { labels: Record<string, string> }; spec: PodSpec };
    [key: string]: unknown;
  };
}

/** `kubectl kustomize` of an overlay (kubectl carries kustomize; .ci/run installs kubectl when missing). */
export function renderOverlay(overlay: Overlay | string): K8sObject[] {
  const dir = overlay.includes('/') ? overlay : join(K8S_DIR, 'overlays', overlay);
  const yaml = execFileSync(process.env.KUBECTL ?? 'kubectl', ['kustomize', dir], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return parseYamlDocuments(yaml);
}

export function parseYamlDocuments(yaml: string): K8sObject[] {
  return parseAllDocuments(yaml)
    .filter((d) => d.contents !== null)
    .map((d) => {
      if (d.errors.length) throw new Error(d.errors[0]!.message);
      return d.toJSON() as K8sObject;
    });
}

export const ofKind = <T extends K8sObject = K8sObject>(objects: K8sObject[], kind: string) =>
  objects.filter((o) => o.kind === kind) as T[];

export const named = <T extends K8sObject = K8sObject>(
  objects: K8sObject[],
  kind: string,
  name: string,
): T => {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`No ${kind} ${name} in the rendered manifests`);
  return found as T;
};

/** Every container of a pod template: init containers first, as the kubelet runs them. */
export const containersOf = (w: Workload): Container[] => [
  ...(w.spec.template.spec.initContainers ?? []),
  ...w.spec.template.spec.containers,
];

/** A ConfigMap made by configMapGenerator carries a content hash: `aftercare-shared-5f7…`. */
export const generatedName = (objects: K8sObject[], base: string): string | undefined =>
  ofKind(objects, 'ConfigMap').find((c) =>
    new RegExp(`^${base}-[a-z0-9]{10}$`).test(c.metadata.name),
  )?.metadata.name;

/** The process an image runs: the repository folder of a `.../aftercare/<service>:<tag>` image. */
export const serviceOfImage = (image: string): string => {
  const match = /\/([a-z]+):[^:/]+$/.exec(image);
  if (!match) throw new Error(`Image ${image} is not <registry>/aftercare/<service>:<tag>`);
  return match[1]!;
};

export const imageTag = (image: string): string => image.slice(image.lastIndexOf(':') + 1);

export const selects = (selector: Record<string, string>, labels: Record<string, string>) =>
  Object.entries(selector).every(([k, v]) => labels[k] === v);
