import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { roundRobinProxy } from '@aftercare/testkit';
import {
  type Container,
  type K8sObject,
  REPO_ROOT,
  ofKind,
  selects,
  serviceOfImage,
  type Workload,
} from './manifests';

/**
 * Runs a rendered pod's containers as local processes of the built tree, the way the kubelet
 * would run them in the image: the image's ENTRYPOINT/CMD and ENV from deploy/Dockerfile, then
 * the container's command, args and environment exactly as rendered (ConfigMaps, and Secrets
 * or operator-made ConfigMaps from a fixture). Only addresses are rewritten (see `Rewrites`).
 */

export interface ImageSpec {
  entrypoint: string[];
  cmd: string[];
  env: Record<string, string>;
}

/** The final stage of deploy/Dockerfile, with `ARG SERVICE` substituted. */
export function imageSpec(
  service: string,
  dockerfile = join(REPO_ROOT, 'deploy', 'Dockerfile'),
): ImageSpec {
  const lines = readFileSync(dockerfile, 'utf8')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const stage = lines.slice(lines.map((l) => /^FROM\s/i.test(l)).lastIndexOf(true));
  const args: Record<string, string> = { SERVICE: service };
  const expand = (s: string) => s.replace(/\$\{(\w+)\}|\$(\w+)/g, (_, a, b) => args[a ?? b] ?? '');
  const spec: ImageSpec = { entrypoint: [], cmd: [], env: {} };
  for (const line of stage) {
    const [instruction, ...rest] = line.split(/\s+/);
    const body = rest.join(' ');
    switch (instruction!.toUpperCase()) {
      case 'ENV':
        for (const [, k, v] of body.matchAll(/(\w+)=("[^"]*"|\S+)/g))
          spec.env[k!] = expand(v!.replace(/^"|"$/g, ''));
        break;
      case 'ENTRYPOINT':
        spec.entrypoint = JSON.parse(body) as string[];
        break;
      case 'CMD':
        spec.cmd = JSON.parse(body) as string[];
        break;
      default:
        break;
    }
  }
  return spec;
}

/** Secrets and ConfigMaps the operator creates (never rendered): name → key → value. */
export type OperatorObjects = Record<string, Record<string, string>>;

/** The only changes made to what the manifests say: where things are on this machine. */
export interface Rewrites {
  /** `<service>:<port>` (a Kubernetes Service) → `127.0.0.1:<local port>`. */
  serviceAddresses: Map<string, string>;
  /** Per variable: NATS_URL, OTEL_EXPORTER_OTLP_ENDPOINT, EVENT_SUBJECT_PREFIX … */
  variables: Record<string, string>;
  /** containerPort → local port, for this process. */
  ports: Map<number, number>;
}

/** The environment the kubelet would give `container`: image ENV, envFrom in order, then env. */
export function containerEnv(
  container: Container,
  objects: K8sObject[],
  operator: OperatorObjects,
  image: ImageSpec,
): Record<string, string> {
  const configMap = (name: string): Record<string, string> => {
    const rendered = ofKind(objects, 'ConfigMap').find((c) => c.metadata.name === name);
    const data = rendered?.data ?? operator[name];
    if (!data) throw new Error(`${container.name}: ConfigMap or Secret ${name} does not exist`);
    return data;
  };
  const env: Record<string, string> = { ...image.env };
  for (const from of container.envFrom ?? [])
    Object.assign(env, configMap(from.configMapRef?.name ?? from.secretRef!.name));
  for (const e of container.env ?? []) {
    if (e.value !== undefined) env[e.name] = e.value;
    const ref = e.valueFrom?.secretKeyRef ?? e.valueFrom?.configMapKeyRef;
    if (!ref) continue;
    const value = (operator[ref.name] ?? configMap(ref.name))[ref.key];
    if (value === undefined) {
      if (ref.optional) continue;
      throw new Error(`${container.name}: ${e.name} refers to missing key ${ref.name}/${ref.key}`);
    }
    env[e.name] = value;
  }
  return env;
}

export function rewriteEnv(
  env: Record<string, string>,
  rewrites: Rewrites,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, raw] of Object.entries(env)) {
    let value = raw;
    for (const [from, to] of rewrites.serviceAddresses)
      value = value.replace(new RegExp(`(^|//)${from.replace('.', '\\.')}(?=$|/)`, 'g'), `$1${to}`);
    if (value === '0.0.0.0') value = '127.0.0.1';
    if (/^\d+$/.test(value) && rewrites.ports.has(Number(value)))
      value = String(rewrites.ports.get(Number(value)));
    out[name] = rewrites.variables[name] ?? value;
  }
  return out;
}

/** Kubernetes' rule: `command` replaces ENTRYPOINT (and drops CMD), `args` replaces CMD. */
export function commandLine(container: Container, image: ImageSpec): string[] {
  const argv = container.command
    ? [...container.command, ...(container.args ?? [])]
    : [...image.entrypoint, ...(container.args ?? image.cmd)];
  // tini is the image's PID 1; here the test runner stands in for it.
  const start = argv[0]?.endsWith('/tini') ? argv.indexOf('--') + 1 : 0;
  return argv
    .slice(start)
    .map((a) => (a === 'node' ? process.execPath : a.replace(/^\/app\//, `${REPO_ROOT}/`)));
}

export interface LocalProcess {
  label: string;
  child: ChildProcess;
  /** Last 20 kB of stdout and stderr. */
  output(): string;
  /** Exit code (null when killed by a signal). */
  exited: Promise<number | null>;
}

export function startProcess(
  label: string,
  argv: string[],
  env: Record<string, string>,
): LocalProcess {
  const child = spawn(argv[0]!, argv.slice(1), {
    cwd: REPO_ROOT,
    env: { ...env, PATH: process.env.PATH ?? '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  return { label, child, output: () => output, exited };
}

/** Polls an HTTP probe until it answers 2xx; fails at once if the process exits. */
export async function awaitHttpProbe(
  proc: LocalProcess,
  url: string,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exit: number | null | undefined;
  void proc.exited.then((code) => (exit = code));
  for (;;) {
    if (exit !== undefined)
      throw new Error(`${proc.label} exited (${exit}) before ${url} answered:\n${proc.output()}`);
    try {
      if ((await fetch(url, { signal: AbortSignal.timeout(2000) })).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline)
      throw new Error(
        `${proc.label}: ${url} did not answer 2xx in ${timeoutMs} ms:\n${proc.output()}`,
      );
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** SIGTERM, as the kubelet sends after preStop; resolves with the exit code and how long it took. */
export async function terminate(proc: LocalProcess, killAfterMs: number) {
  const started = Date.now();
  if (proc.child.exitCode !== null) return { code: proc.child.exitCode, ms: 0 };
  proc.child.kill('SIGTERM');
  const timer = setTimeout(() => proc.child.kill('SIGKILL'), killAfterMs);
  const code = await proc.exited;
  clearTimeout(timer);
  return { code, ms: Date.now() - started };
}

/**
 * A port free now, below Linux's ephemeral range (32768+): a port the OS picked for `listen(0)`
 * is soon handed out again to some outgoing connection, and the process meant to listen on it
 * then fails with EADDRINUSE (seen with a dozen processes and their connections).
 */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const server = createServer();
    const bound = await new Promise<boolean>((resolve) => {
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => resolve(true));
    });
    if (!bound) continue;
    await new Promise((resolve) => server.close(resolve));
    return port;
  }
}

export interface PodPlan {
  workload: Workload;
  service: string;
  image: ImageSpec;
  /** One map per replica: containerPort → local port. */
  replicaPorts: Map<number, number>[];
}

/** Local ports for every replica of every Deployment, and a proxy per Service port in front of them. */
export async function planPods(objects: K8sObject[], replicas: number) {
  const plans: PodPlan[] = [];
  for (const workload of ofKind<Workload>(objects, 'Deployment')) {
    const main = workload.spec.template.spec.containers[0]!;
    const replicaPorts: Map<number, number>[] = [];
    for (let i = 0; i < replicas; i++) {
      const ports = new Map<number, number>();
      for (const p of main.ports ?? []) ports.set(p.containerPort, await freePort());
      replicaPorts.push(ports);
    }
    const service = serviceOfImage(main.image);
    plans.push({ workload, service, image: imageSpec(service), replicaPorts });
  }
  const serviceAddresses = new Map<string, string>();
  const proxies: { close(): void }[] = [];
  for (const svc of ofKind(objects, 'Service')) {
    const spec = svc.spec as {
      selector: Record<string, string>;
      ports: { port: number; targetPort: string | number }[];
    };
    const plan = plans.find((p) =>
      selects(spec.selector, p.workload.spec.template.metadata.labels),
    );
    if (!plan) throw new Error(`Service ${svc.metadata.name} selects no Deployment`);
    const main = plan.workload.spec.template.spec.containers[0]!;
    for (const port of spec.ports) {
      const containerPort =
        typeof port.targetPort === 'number'
          ? port.targetPort
          : main.ports?.find((p) => p.name === port.targetPort)?.containerPort;
      if (containerPort === undefined)
        throw new Error(`Service ${svc.metadata.name} targets unknown port ${port.targetPort}`);
      const proxy = await roundRobinProxy(plan.replicaPorts.map((m) => m.get(containerPort)!));
      proxies.push(proxy);
      serviceAddresses.set(`${svc.metadata.name}:${port.port}`, `127.0.0.1:${proxy.port}`);
    }
  }
  return { plans, serviceAddresses, proxies };
}

/** The local port a probe's (named or numbered) port maps to. */
export function probePort(container: Container, port: number | string, ports: Map<number, number>) {
  const containerPort =
    typeof port === 'number' ? port : container.ports?.find((p) => p.name === port)?.containerPort;
  const local = containerPort === undefined ? undefined : ports.get(containerPort);
  if (local === undefined) throw new Error(`${container.name}: probe port ${port} is not declared`);
  return local;
}
