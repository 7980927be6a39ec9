// Validates every manifest in this folder offline, without a cluster: `npm ci && node validate.mjs` (ManifestsTest in
// ops runs it as part of `mvn -B test`). Exit code 0 when all is well, 1 with one line per problem otherwise.
//
// 1. Schema: each object (YAML documents, the JSON ConfigMap) is built with the kubernetes-models class of its
//    apiVersion/kind and validate()d against the bundled Kubernetes JSON schema. PrometheusRule (a CRD) is checked
//    against the Prometheus Operator's CRD schema from @kubernetes-models/prometheus-operator; its PromQL is
//    promtool's job (ManifestsTest). A kind with no schema here is an error, not a skip. Limitation: these schemas,
//    like Kubernetes' own OpenAPI, do not forbid unknown fields, so a misspelt optional field is not reported
//    (the server would drop it silently too).
// 2. Consistency checks the schemas cannot make: namespaces set, pod templates the "restricted" Pod Security Standard
//    admits, probes on declared ports, the HPA/Service/Ingress pointing at objects defined here, the dashboard JSON,
//    and the PrometheusRule carrying exactly the groups of the plain rules file alert-rules.yaml.
import { readFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { isDeepStrictEqual } from "node:util";
import { parseAllDocuments } from "yaml";

const dir = dirname(fileURLToPath(import.meta.url));
const RULES_FILE = "alert-rules.yaml"; // a Prometheus rules file, not a Kubernetes object
const RULES_TESTS = "alert-rules.test.yaml"; // promtool's unit tests of RULES_FILE (ManifestsTest runs them)
const CLUSTER_SCOPED = new Set(["Namespace", "ClusterRole", "ClusterRoleBinding"]);

const problems = [];
const objects = []; // { file, obj }

function modelModule(apiVersion) {
  if (apiVersion.startsWith("monitoring.coreos.com/")) return `@kubernetes-models/prometheus-operator/${apiVersion}`;
  return `kubernetes-models/${apiVersion}`;
}

function load(file) {
  const text = readFileSync(join(dir, file), "utf8");
  if (file.endsWith(".json")) return [JSON.parse(text)];
  const docs = parseAllDocuments(text, { uniqueKeys: true });
  for (const doc of docs) {
    for (const error of doc.errors) throw new Error(`YAML: ${error.message}`);
  }
  // a document of comments only (before the first ---) is null
  return docs.map((doc) => doc.toJS()).filter((obj) => obj != null);
}

async function validateSchema(file, obj) {
  const { apiVersion, kind } = obj;
  if (typeof apiVersion !== "string" || typeof kind !== "string") {
    problems.push(`${file}: a document without apiVersion/kind`);
    return;
  }
  let model;
  try {
    model = (await import(modelModule(apiVersion)))[kind];
  } catch {
    model = undefined;
  }
  if (typeof model !== "function") {
    problems.push(`${file}: no schema for ${apiVersion} ${kind} (add the npm package that models it)`);
    return;
  }
  try {
    new model(obj).validate();
  } catch (error) {
    problems.push(`${file}: ${kind}/${obj.metadata?.name}: ${error.message}`);
  }
}

// --- consistency checks

function podTemplates(obj) {
  if (["Deployment", "StatefulSet", "DaemonSet", "Job"].includes(obj.kind)) return [obj.spec?.template];
  if (obj.kind === "CronJob") return [obj.spec?.jobTemplate?.spec?.template];
  return [];
}

// The "restricted" Pod Security Standard (pod-security.kubernetes.io/enforce: restricted), field by field.
function checkRestricted(where, pod) {
  const podSc = pod.securityContext ?? {};
  for (const c of [...(pod.initContainers ?? []), ...(pod.containers ?? [])]) {
    const sc = c.securityContext ?? {};
    const at = `${where} container ${c.name}`;
    if ((sc.runAsNonRoot ?? podSc.runAsNonRoot) !== true) problems.push(`${at}: runAsNonRoot is not true`);
    if ((sc.runAsUser ?? podSc.runAsUser) === 0) problems.push(`${at}: runs as UID 0`);
    if (sc.allowPrivilegeEscalation !== false) problems.push(`${at}: allowPrivilegeEscalation is not false`);
    if (sc.privileged === true) problems.push(`${at}: privileged`);
    if (!(sc.capabilities?.drop ?? []).includes("ALL")) problems.push(`${at}: capabilities.drop lacks ALL`);
    const added = (sc.capabilities?.add ?? []).filter((cap) => cap !== "NET_BIND_SERVICE");
    if (added.length) problems.push(`${at}: adds capabilities ${added}`);
    const seccomp = (sc.seccompProfile ?? podSc.seccompProfile)?.type;
    if (!["RuntimeDefault", "Localhost"].includes(seccomp)) problems.push(`${at}: seccompProfile is not RuntimeDefault`);
    if (!c.resources?.requests || !c.resources?.limits) problems.push(`${at}: no resource requests and limits`);
    const ports = new Set((c.ports ?? []).flatMap((p) => [p.name, p.containerPort]));
    for (const probe of ["startupProbe", "readinessProbe", "livenessProbe"]) {
      const port = c[probe]?.httpGet?.port ?? c[probe]?.tcpSocket?.port;
      if (port !== undefined && !ports.has(port)) problems.push(`${at}: ${probe} on undeclared port ${port}`);
    }
  }
  for (const v of pod.volumes ?? []) {
    if (v.hostPath) problems.push(`${where}: hostPath volume ${v.name}`);
  }
  if (pod.hostNetwork || pod.hostPID || pod.hostIPC) problems.push(`${where}: shares a host namespace`);
}

function matches(selector, labels) {
  return Object.entries(selector ?? {}).every(([k, v]) => labels?.[k] === v);
}

function checkConsistency(rulesFileGroups) {
  const byKind = (kind) => objects.filter(({ obj }) => obj.kind === kind);
  for (const { file, obj } of objects) {
    const id = `${file}: ${obj.kind}/${obj.metadata?.name}`;
    if (!CLUSTER_SCOPED.has(obj.kind) && !obj.metadata?.namespace) {
      problems.push(`${id}: no metadata.namespace (kubectl apply would put it in the current namespace)`);
    }
    for (const template of podTemplates(obj)) {
      if (!template?.spec) problems.push(`${id}: no pod template`);
      else checkRestricted(id, template.spec);
    }
  }
  for (const { file, obj } of byKind("Deployment")) {
    for (const c of obj.spec.template.spec.containers) {
      if (!c.readinessProbe || !c.livenessProbe) {
        problems.push(`${file}: Deployment/${obj.metadata.name} container ${c.name} lacks a readiness or liveness probe`);
      }
    }
  }
  const deployments = byKind("Deployment").map(({ obj }) => obj);
  for (const { file, obj } of byKind("HorizontalPodAutoscaler")) {
    const target = obj.spec.scaleTargetRef;
    if (!deployments.some((d) => target.kind === "Deployment" && d.metadata.name === target.name
        && d.metadata.namespace === obj.metadata.namespace)) {
      problems.push(`${file}: HorizontalPodAutoscaler/${obj.metadata.name} scales ${target.kind}/${target.name}, not defined here`);
    }
  }
  const services = byKind("Service").map(({ obj }) => obj);
  for (const { file, obj } of byKind("Service")) {
    const pods = deployments.filter((d) => d.metadata.namespace === obj.metadata.namespace
        && matches(obj.spec.selector, d.spec.template.metadata.labels));
    if (pods.length === 0) problems.push(`${file}: Service/${obj.metadata.name} selects no pod template defined here`);
    for (const port of obj.spec.ports) {
      if (typeof port.targetPort === "string" && !pods.some((d) => d.spec.template.spec.containers
          .some((c) => (c.ports ?? []).some((p) => p.name === port.targetPort)))) {
        problems.push(`${file}: Service/${obj.metadata.name} targets port "${port.targetPort}" that no container names`);
      }
    }
  }
  for (const { file, obj } of byKind("Ingress")) {
    for (const rule of obj.spec.rules ?? []) {
      for (const path of rule.http?.paths ?? []) {
        const backend = path.backend.service;
        const service = services.find((s) => s.metadata.name === backend.name && s.metadata.namespace === obj.metadata.namespace);
        if (!service || !service.spec.ports.some((p) => p.name === backend.port.name || p.port === backend.port.number)) {
          problems.push(`${file}: Ingress/${obj.metadata.name} routes to ${backend.name}:${backend.port.name ?? backend.port.number}, not defined here`);
        }
      }
    }
  }
  for (const { file, obj } of byKind("ConfigMap").filter(({ obj }) => obj.metadata.labels?.grafana_dashboard)) {
    for (const [key, value] of Object.entries(obj.data ?? {})) {
      try {
        if (!Array.isArray(JSON.parse(value).panels)) problems.push(`${file}: data["${key}"] has no panels`);
      } catch (error) {
        problems.push(`${file}: data["${key}"] is not JSON: ${error.message}`);
      }
    }
  }
  const rules = byKind("PrometheusRule");
  if (rules.length === 0) problems.push("no PrometheusRule");
  for (const { file, obj } of rules) {
    if (!isDeepStrictEqual(obj.spec.groups, rulesFileGroups)) {
      problems.push(`${file}: PrometheusRule/${obj.metadata.name} groups differ from ${RULES_FILE}'s: keep them identical`);
    }
  }
}

// --- main

const files = readdirSync(dir)
  .filter((f) => /\.(ya?ml|json)$/.test(f) && !f.startsWith("package") && f !== RULES_TESTS)
  .sort();
let rulesFileGroups;
for (const file of files) {
  let docs;
  try {
    docs = load(file);
  } catch (error) {
    problems.push(`${file}: does not parse: ${error.message}`);
    continue;
  }
  if (file === RULES_FILE) {
    rulesFileGroups = docs[0]?.groups;
    if (!Array.isArray(rulesFileGroups)) problems.push(`${file}: no groups`);
    continue;
  }
  if (docs.length === 0) problems.push(`${file}: no Kubernetes object`);
  for (const obj of docs) {
    await validateSchema(file, obj);
    objects.push({ file, obj });
  }
}
try {
  checkConsistency(rulesFileGroups);
} catch (error) {
  // an object the schema check already reported can be too broken to look into
  problems.push(`consistency checks stopped: ${error.message}`);
}

const summary = objects.map(({ file, obj }) => `${file}: ${obj.kind}/${obj.metadata?.name}`);
if (problems.length) {
  console.error(`${problems.length} problem(s) in the manifests:\n  ${problems.join("\n  ")}`);
  process.exit(1);
}
console.log(`${objects.length} objects in ${new Set(objects.map(({ file }) => file)).size} files valid (and ${RULES_FILE} left to promtool):\n  ${summary.join("\n  ")}`);
