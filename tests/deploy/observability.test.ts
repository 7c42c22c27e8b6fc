import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parser } from '@prometheus-io/lezer-promql';
import { parse as parseYaml, stringify } from 'yaml';
import {
  containersOf,
  type K8sObject,
  ofKind,
  REPO_ROOT,
  renderOverlay,
  type Workload,
} from './support/manifests';

// Issue 14: what deploy/observability gives operators, checked without a cluster. Dashboards
// parse; every PromQL expression in them and in the alert rules parses and names only metrics
// the processes expose (deploy/observability/metric-names.txt, kept equal to a real scrape by
// tests/e2e/metrics.e2e.test.ts); `promtool check rules` passes; the component renders on top of
// the prod overlay into valid objects.

const OBSERVABILITY = join(REPO_ROOT, 'deploy', 'observability');
const RUNBOOK = join(REPO_ROOT, 'deploy', 'RUNBOOK.md');

/** Exposed names: each family, and a histogram's `_bucket`, `_sum` and `_count` series. */
const exposed = new Set(
  readFileSync(join(OBSERVABILITY, 'metric-names.txt'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .flatMap((line) => {
      const [name, type] = line.split(' ') as [string, string];
      return type === 'histogram' ? [`${name}_bucket`, `${name}_sum`, `${name}_count`] : [name];
    }),
);

/** Grafana's own variables are not PromQL: stand-ins that parse as what they become. */
const withoutGrafanaVariables = (expr: string) =>
  expr.replace(/\$__(rate_interval|interval|range)/g, '5m').replace(/\[\$\w+\]/g, '[7d]');

/** Parse errors and the metric names of an expression's vector selectors. */
function analyse(expr: string): { errors: string[]; metrics: string[] } {
  const errors: string[] = [];
  const metrics: string[] = [];
  const tree = parser.parse(expr);
  tree.iterate({
    enter(node) {
      if (node.type.isError)
        errors.push(`at ${node.from}: "${expr.slice(node.from, node.to + 10)}"`);
      if (node.name === 'Identifier' && node.node.parent?.name === 'VectorSelector')
        metrics.push(expr.slice(node.from, node.to));
    },
  });
  return { errors, metrics };
}

interface Panel {
  title: string;
  type: string;
  targets?: { expr: string }[];
}
interface Dashboard {
  uid: string;
  title: string;
  panels: Panel[];
  templating: { list: { name: string; query?: string | { query: string } }[] };
}

const dashboardFiles = readdirSync(join(OBSERVABILITY, 'dashboards')).filter((f) =>
  f.endsWith('.json'),
);
const dashboards = dashboardFiles.map(
  (f) => [f, JSON.parse(readFileSync(join(OBSERVABILITY, 'dashboards', f), 'utf8'))] as const,
) as (readonly [string, Dashboard])[];

/** prod plus the component, as an operator enables it (a kustomization outside the repo). */
function renderWithComponent(): K8sObject[] {
  const dir = mkdtempSync(join(tmpdir(), 'aftercare-observability-'));
  try {
    const up = relative(dir, REPO_ROOT);
    writeFileSync(
      join(dir, 'kustomization.yaml'),
      stringify({
        apiVersion: 'kustomize.config.k8s.io/v1beta1',
        kind: 'Kustomization',
        namespace: 'aftercare',
        resources: [`${up}/deploy/k8s/overlays/prod`],
        components: [`${up}/deploy/observability`],
      }),
    );
    return renderOverlay(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const rendered = renderWithComponent();
const rules = ofKind(rendered, 'PrometheusRule');
const ruleGroups = rules.flatMap(
  (r) => (r as unknown as { spec: { groups: { rules: Record<string, unknown>[] }[] } }).spec.groups,
);
const alerts = ruleGroups.flatMap((g) => g.rules) as {
  alert: string;
  expr: string;
  labels: { severity: string };
  annotations: Record<string, string>;
}[];

describe('Grafana dashboards', () => {
  it('one per area: requests (RED), events, schedulers, business KPIs', () => {
    expect(dashboards.map(([, d]) => d.uid).sort()).toEqual([
      'aftercare-business',
      'aftercare-events',
      'aftercare-red',
      'aftercare-schedulers',
    ]);
  });

  it.each(dashboards)('%s: every query parses and names only exposed metrics', (_file, d) => {
    const queries = [
      ...d.panels.flatMap((p) => (p.targets ?? []).map((t) => ({ where: p.title, expr: t.expr }))),
      ...d.templating.list
        .filter((v) => typeof v.query === 'object')
        .map((v) => ({
          where: `variable ${v.name}`,
          // label_values(<selector>, label): the selector is PromQL.
          expr: (v.query as { query: string }).query.replace(/^label_values\((.*), \w+\)$/, '$1'),
        })),
    ];
    expect(queries.length).toBeGreaterThan(0);
    const problems = queries.flatMap(({ where, expr }) => {
      const { errors, metrics } = analyse(withoutGrafanaVariables(expr));
      if (metrics.length === 0) errors.push('names no metric');
      return [
        ...errors.map((e) => `${where}: ${e}`),
        ...metrics.filter((m) => !exposed.has(m)).map((m) => `${where}: unknown metric ${m}`),
      ];
    });
    expect(problems).toEqual([]);
  });
});

describe('Prometheus alert rules', () => {
  it('cover error rate, p99 latency, outbox backlog age, consumer lag, parked events, scheduler failures and the SLA breach rate', () => {
    const expressions = alerts.map((a) => a.expr).join('\n');
    for (const metric of [
      'graphql_server_request_duration_seconds_count',
      'rpc_server_call_duration_seconds_count',
      'graphql_server_request_duration_seconds_bucket',
      'outbox_oldest_event_age_seconds',
      'event_consumer_pending_messages',
      'event_consumer_parked_total',
      'event_dead_letter_parked_messages',
      'scheduler_rounds_total',
      'workorder_sla_breaches_total',
    ])
      expect(expressions).toContain(metric);
  });

  it('every expression parses and names only exposed metrics', () => {
    const problems = alerts.flatMap((a) => {
      const { errors, metrics } = analyse(a.expr);
      return [
        ...errors.map((e) => `${a.alert}: ${e}`),
        ...metrics.filter((m) => !exposed.has(m)).map((m) => `${a.alert}: unknown metric ${m}`),
      ];
    });
    expect(problems).toEqual([]);
  });

  it('pass `promtool check rules`', () => {
    const dir = mkdtempSync(join(tmpdir(), 'aftercare-rules-'));
    try {
      const file = join(dir, 'rules.yaml');
      writeFileSync(file, stringify({ groups: ruleGroups }));
      const run = spawnSync('promtool', ['check', 'rules', file], { encoding: 'utf8' });
      if (run.error)
        throw new Error(
          `promtool is not installed (Debian package "prometheus"): ${run.error.message}`,
        );
      expect({ status: run.status, output: run.stdout + run.stderr }).toMatchObject({ status: 0 });
      expect(run.stdout).toContain(`SUCCESS: ${alerts.length} rules found`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('every alert has a severity, a summary and a runbook_url naming its section of deploy/RUNBOOK.md', () => {
    const anchors = new Set(
      [...readFileSync(RUNBOOK, 'utf8').matchAll(/^#{2,3} (.+)$/gm)].map((m) =>
        m[1]!
          .trim()
          .toLowerCase()
          .replace(/[^\w\- ]/g, '')
          .replace(/ /g, '-'),
      ),
    );
    for (const a of alerts) {
      expect(['critical', 'warning']).toContain(a.labels.severity);
      expect(a.annotations.summary).toBeTruthy();
      const anchor = a.annotations.runbook_url?.match(/\/deploy\/RUNBOOK\.md#([\w-]+)$/)?.[1];
      expect({
        alert: a.alert,
        anchor,
        documented: anchor !== undefined && anchors.has(anchor),
      }).toEqual({ alert: a.alert, anchor: a.alert.toLowerCase(), documented: true });
    }
  });
});

describe('the observability component on top of the prod overlay', () => {
  it('adds a PodMonitor on every process admin port, the rules and the dashboards; every other object is still valid', () => {
    const podMonitor = ofKind(rendered, 'PodMonitor')[0] as unknown as {
      metadata: { namespace: string };
      spec: {
        selector: { matchLabels: Record<string, string> };
        podMetricsEndpoints: { port: string }[];
      };
    };
    expect(podMonitor.metadata.namespace).toBe('aftercare');
    expect(podMonitor.spec.podMetricsEndpoints.map((e) => e.port)).toEqual(['admin']);
    const deployments = ofKind<Workload>(rendered, 'Deployment');
    expect(deployments).toHaveLength(6);
    for (const d of deployments) {
      const labels = d.spec.template.metadata.labels;
      for (const [k, v] of Object.entries(podMonitor.spec.selector.matchLabels))
        expect(labels[k]).toBe(v);
      expect(d.spec.template.spec.containers[0]!.ports).toContainEqual(
        expect.objectContaining({ name: 'admin' }),
      );
    }
    const dashboardsMap = ofKind(rendered, 'ConfigMap').find(
      (c) => c.metadata.name === 'aftercare-dashboards',
    ) as K8sObject & { data: Record<string, string> };
    expect(dashboardsMap.metadata.labels).toMatchObject({ grafana_dashboard: '1' });
    expect(Object.keys(dashboardsMap.data).sort()).toEqual([...dashboardFiles].sort());
    expect(rules).toHaveLength(1);

    const out = execFileSync(
      process.execPath,
      [join(__dirname, 'support', 'validate-objects.mjs')],
      { input: JSON.stringify(rendered), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
    );
    const results = JSON.parse(out) as { kind: string; unknown?: boolean; errors: string | null }[];
    expect(results.filter((r) => r.errors)).toEqual([]);
    expect([...new Set(results.filter((r) => r.unknown).map((r) => r.kind))].sort()).toEqual([
      'Consumer',
      'PodMonitor',
      'PrometheusRule',
      'Stream',
    ]);
  });

  it('every process container carries its pod and namespace as OpenTelemetry resource attributes (downward API)', () => {
    for (const d of ofKind<Workload>(renderOverlay('prod'), 'Deployment'))
      for (const c of containersOf(d)) {
        const env = (c.env ?? []) as unknown as {
          name: string;
          value?: string;
          valueFrom?: { fieldRef?: { fieldPath: string } };
        }[];
        const byName = new Map(env.map((e) => [e.name, e]));
        expect(byName.get('POD_NAME')?.valueFrom?.fieldRef?.fieldPath).toBe('metadata.name');
        expect(byName.get('POD_NAMESPACE')?.valueFrom?.fieldRef?.fieldPath).toBe(
          'metadata.namespace',
        );
        // Kubernetes expands $(VAR) from variables defined earlier in the list.
        const names = env.map((e) => e.name);
        expect(names.indexOf('OTEL_RESOURCE_ATTRIBUTES')).toBeGreaterThan(
          names.indexOf('POD_NAMESPACE'),
        );
        expect(byName.get('OTEL_RESOURCE_ATTRIBUTES')?.value).toBe(
          'k8s.pod.name=$(POD_NAME),k8s.namespace.name=$(POD_NAMESPACE)',
        );
      }
  });
});

describe('OpenTelemetry Collector example', () => {
  it('receives OTLP/HTTP on the port the services export to and has a traces pipeline', () => {
    const config = parseYaml(readFileSync(join(OBSERVABILITY, 'otel-collector.yaml'), 'utf8')) as {
      receivers: { otlp: { protocols: { http: { endpoint: string } } } };
      processors: Record<string, unknown>;
      exporters: Record<string, unknown>;
      service: {
        pipelines: { traces: Record<'receivers' | 'processors' | 'exporters', string[]> };
      };
    };
    const shared = readFileSync(join(REPO_ROOT, 'deploy/k8s/base/config/shared.env'), 'utf8');
    const port = shared.match(/^OTEL_EXPORTER_OTLP_ENDPOINT=.*:(\d+)/m)?.[1];
    expect(config.receivers.otlp.protocols.http.endpoint).toBe(`0.0.0.0:${port}`);
    const traces = config.service.pipelines.traces;
    expect(traces.receivers).toEqual(['otlp']);
    for (const p of traces.processors) expect(config.processors).toHaveProperty([p]);
    for (const e of traces.exporters) expect(config.exporters).toHaveProperty([e]);
  });
});
