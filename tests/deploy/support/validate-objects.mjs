// Validates Kubernetes objects against the OpenAPI schemas shipped in kubernetes-models
// (offline). Reads a JSON array of objects on stdin; writes one JSON result per object:
// { kind, name, errors } where errors is null when valid, or `unknown: true` for a kind
// kubernetes-models has no schema for (custom resources). A separate process because the
// package is ESM-only and the test runner loads CommonJS.
import * as models from 'kubernetes-models';

const groupKey = (group) =>
  group.replace(/\.([a-z])/g, (_, c) => c.toUpperCase()).replace(/\.$/, '');

const modelOf = ({ apiVersion, kind }) => {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  const ns = group ? models[groupKey(group)] : models;
  return ns?.[version]?.[kind];
};

let input = '';
for await (const chunk of process.stdin) input += chunk;
const results = JSON.parse(input).map((object) => {
  const Model = modelOf(object);
  const id = { kind: object.kind, name: object.metadata?.name };
  if (!Model) return { ...id, unknown: true, errors: null };
  try {
    new Model(object).validate();
    return { ...id, errors: null };
  } catch (e) {
    return { ...id, errors: String(e.message ?? e) };
  }
});
process.stdout.write(JSON.stringify(results));
