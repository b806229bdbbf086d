// House rules for rendered manifests, beyond what the OpenAPI schema says: the restricted security
// profile, requests and limits everywhere, probes on long-running containers, an HPA and a PDB per
// Deployment, references that resolve, and no credentials in committed config.
import { type K8sObject, parseImage, podSpecs } from "./kustomize.ts";

type Json = Record<string, unknown>;
export type PolicyOptions = {
  /** Lowest HPA minReplicas allowed (1 for a laptop cluster, 2 where availability matters). */
  minReplicas: number;
  /** Secrets that are created out of band and may be referenced without being rendered. */
  externalSecrets: string[];
};
export type Violation = { object: string; message: string };

const workloadKinds = new Set(["Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob", "Pod"]);
const longRunning = new Set(["Deployment", "StatefulSet", "DaemonSet"]);
const map = (v: unknown): Json =>
  v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Json) : {};
const list = (v: unknown): Json[] => (Array.isArray(v) ? (v as Json[]) : []);
export const idOf = (o: K8sObject) => `${o.kind}/${o.metadata.name}`;

const units: Record<string, number> = {
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
};

/** Parses a Kubernetes quantity ("250m", "1", "512Mi") into a number; NaN when malformed. */
export function quantity(value: unknown): number {
  const match = /^([0-9.]+)([a-zA-Z]*)$/.exec(String(value));
  if (!match) return Number.NaN;
  const unit = match[2] === "" ? 1 : units[match[2] ?? ""];
  return unit === undefined ? Number.NaN : Number(match[1]) * unit;
}

function selects(selector: unknown, labels: Json): boolean {
  const wanted = map(map(selector).matchLabels);
  return Object.keys(wanted).length > 0 && Object.entries(wanted).every(([k, v]) => labels[k] === v);
}

function checkContainer(c: Json, pod: Json, kind: string, say: (m: string) => void): void {
  const name = `container ${String(c.name)}`;
  const res = map(c.resources);
  for (const side of ["requests", "limits"] as const) {
    for (const r of ["cpu", "memory"]) {
      if (map(res[side])[r] === undefined) say(`${name}: no ${side}.${r}`);
    }
  }
  for (const r of ["cpu", "memory"]) {
    const req = quantity(map(res.requests)[r]);
    const lim = quantity(map(res.limits)[r]);
    if (req > lim) say(`${name}: ${r} request above its limit`);
  }
  const sc = map(c.securityContext);
  const podSc = map(pod.securityContext);
  if ((sc.runAsNonRoot ?? podSc.runAsNonRoot) !== true) say(`${name}: runAsNonRoot is not true`);
  if ((sc.runAsUser ?? podSc.runAsUser) === 0) say(`${name}: runs as uid 0`);
  if (sc.readOnlyRootFilesystem !== true) say(`${name}: readOnlyRootFilesystem is not true`);
  if (sc.allowPrivilegeEscalation !== false) say(`${name}: allowPrivilegeEscalation is not false`);
  if (sc.privileged === true) say(`${name}: privileged`);
  const drop = map(sc.capabilities).drop;
  if (!Array.isArray(drop) || !drop.includes("ALL")) say(`${name}: capabilities not dropped (ALL)`);
  const seccomp = map(sc.seccompProfile).type ?? map(podSc.seccompProfile).type;
  if (seccomp !== "RuntimeDefault" && seccomp !== "Localhost")
    say(`${name}: seccompProfile is not RuntimeDefault`);

  const image = parseImage(String(c.image ?? ""));
  if (!image.digest && (!image.tag || image.tag === "latest")) say(`${name}: image ${c.image} is not pinned`);

  if (longRunning.has(kind)) {
    for (const probe of ["readinessProbe", "livenessProbe"]) {
      const p = map(c[probe]);
      if (!p.grpc && !p.httpGet && !p.tcpSocket && !p.exec) say(`${name}: no ${probe}`);
    }
  }
  // V8's heap ceiling must leave room below the container's memory limit.
  const nodeOptions = list(c.env).find((e) => e.name === "NODE_OPTIONS")?.value;
  const heap = /--max-old-space-size=(\d+)/.exec(String(nodeOptions ?? ""))?.[1];
  const limit = quantity(map(res.limits).memory);
  if (heap && Number(heap) * 2 ** 20 >= limit)
    say(`${name}: --max-old-space-size=${heap} is not below the memory limit`);
}

/** Checks every rendered object against the house rules. */
export function checkPolicy(objects: K8sObject[], options: PolicyOptions): Violation[] {
  const out: Violation[] = [];
  const byKind = (kind: string) => objects.filter((o) => o.kind === kind);
  const names = (kind: string) => new Set(byKind(kind).map((o) => o.metadata.name));
  const configMaps = names("ConfigMap");
  const secrets = new Set([...names("Secret"), ...options.externalSecrets]);
  const accounts = names("ServiceAccount");

  for (const o of objects) {
    const say = (message: string) => out.push({ object: idOf(o), message });
    if (o.kind === "Secret")
      say("a Secret is rendered from the repository: secret values must not be committed");
    if (o.kind === "ConfigMap") {
      for (const [key, value] of Object.entries(map(o.data))) {
        if (/PASSWORD|SECRET|TOKEN|PRIVATE/i.test(key)) say(`ConfigMap key ${key} looks like a credential`);
        if (/:\/\/[^/@\s]+:[^/@\s]*@/.test(String(value)))
          say(`ConfigMap key ${key} embeds a password in a URL`);
      }
    }
    if (
      o.kind === "Namespace" &&
      map(o.metadata.labels)["pod-security.kubernetes.io/enforce"] !== "restricted"
    ) {
      say("namespace does not enforce the restricted Pod Security Standard");
    }
    if (!workloadKinds.has(o.kind)) continue;
    for (const pod of podSpecs(o)) {
      const containers = [...list(pod.initContainers), ...list(pod.containers)];
      if (containers.length === 0) say("no containers");
      for (const c of list(pod.initContainers)) checkContainer(c, pod, "Job", say);
      for (const c of list(pod.containers)) checkContainer(c, pod, o.kind, say);
      const sa = pod.serviceAccountName;
      if (typeof sa !== "string" || !accounts.has(sa))
        say(`serviceAccountName ${String(sa)} is not rendered`);
      if (pod.automountServiceAccountToken !== false) say("automountServiceAccountToken is not false");
      for (const c of containers) {
        for (const variable of list(c.env)) {
          const ref = map(map(variable.valueFrom).secretKeyRef);
          if (ref.name !== undefined && !secrets.has(String(ref.name)))
            say(`env ${variable.name} refers to unknown Secret ${ref.name}`);
          // The identity signing key lets its holder speak for any user to every service.
          if (variable.name === "IDENTITY_SIGNING_KEY" && o.metadata.name !== "edge")
            say("only the edge may hold IDENTITY_SIGNING_KEY");
        }
        for (const from of list(c.envFrom)) {
          const cm = map(from.configMapRef).name;
          const secret = map(from.secretRef).name;
          if (cm !== undefined && !configMaps.has(String(cm))) say(`envFrom ConfigMap ${cm} is not rendered`);
          if (secret !== undefined && !secrets.has(String(secret)))
            say(`envFrom Secret ${secret} is unknown`);
        }
      }
    }
  }

  for (const d of byKind("Deployment")) {
    const say = (message: string) => out.push({ object: idOf(d), message });
    const podLabels = map(map(map(map(d.spec).template).metadata).labels);
    const hpa = byKind("HorizontalPodAutoscaler").find((h) => {
      const ref = map(map(h.spec).scaleTargetRef);
      return ref.kind === "Deployment" && ref.name === d.metadata.name;
    });
    if (!hpa) say("no HorizontalPodAutoscaler targets it");
    else {
      const spec = map(hpa.spec);
      if (Number(spec.minReplicas ?? 1) < options.minReplicas) {
        say(`HPA minReplicas ${spec.minReplicas} is below ${options.minReplicas}`);
      }
      if (Number(spec.maxReplicas) < Number(spec.minReplicas ?? 1)) say("HPA maxReplicas below minReplicas");
      const cpu = list(spec.metrics).some((m) => map(m.resource).name === "cpu");
      if (!cpu) say("HPA does not scale on CPU");
      if (map(d.spec).replicas !== undefined)
        say("spec.replicas is set although an HPA owns the replica count");
    }
    if (!byKind("PodDisruptionBudget").some((p) => selects(map(p.spec).selector, podLabels))) {
      say("no PodDisruptionBudget selects its pods");
    }
    if (!selects(map(d.spec).selector, podLabels)) say("selector does not match the pod template labels");
  }

  for (const s of byKind("Service")) {
    const spec = map(s.spec);
    if (spec.type === "ExternalName") continue;
    const say = (message: string) => out.push({ object: idOf(s), message });
    const backends = objects.filter((o) => {
      const labels = map(map(map(map(o.spec).template).metadata).labels);
      return (
        longRunning.has(o.kind) &&
        Object.keys(map(spec.selector)).length > 0 &&
        Object.entries(map(spec.selector)).every(([k, v]) => labels[k] === v)
      );
    });
    if (backends.length === 0) say("selector matches no workload");
    const ports = new Set(
      backends.flatMap((b) =>
        podSpecs(b).flatMap((p) => list(p.containers).flatMap((c) => list(c.ports).map((port) => port.name))),
      ),
    );
    for (const port of list(spec.ports)) {
      if (typeof port.targetPort === "string" && !ports.has(port.targetPort)) {
        say(`targetPort ${port.targetPort} is not a named container port`);
      }
    }
  }
  return out;
}
