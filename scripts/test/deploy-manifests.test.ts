// Kubernetes manifests and Dockerfile (deploy/): render every kustomize target offline, validate the
// objects against the Kubernetes schema and the house policy, and pin the properties the onsale
// story relies on. Needs no cluster; uses kubectl only when it is installed.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { expect } from "chai";
import { checkDockerfile } from "../../deploy/lib/dockerfile.ts";
import { hasKubectl, type K8sObject, renderBuiltin, renderKubectl } from "../../deploy/lib/kustomize.ts";
import { applyJsonPatch, strategicMerge } from "../../deploy/lib/patch.ts";
import { checkPolicy, quantity } from "../../deploy/lib/policy.ts";
import { schemaErrors } from "../../deploy/lib/schema.ts";
import { deployDir, formatReport, type Report, targets, validateDeploy } from "../../deploy/validate.ts";

// biome-ignore lint/suspicious/noExplicitAny: the tests walk arbitrary manifest JSON.
type Json = Record<string, any>;
const find = (objects: K8sObject[], kind: string, name: string) =>
  objects.find((o) => o.kind === kind && o.metadata.name === name) as Json | undefined;
const container = (d: Json | undefined) => d?.spec.template.spec.containers[0] as Json;

describe("deploy manifests", () => {
  let report: Report;
  const rendered = (name: string) => report.targets.find((t) => t.target === name)?.objects ?? [];

  before(async () => {
    report = await validateDeploy();
  });

  it("renders every target and passes schema, policy and Dockerfile checks", () => {
    expect(report.problems, formatReport(report)).to.deep.equal([]);
    expect(report.ok).to.equal(true);
    expect(report.targets.map((t) => t.target)).to.deep.equal(["base", "local", "production"]);
    for (const t of report.targets) expect(t.objects.length, t.target).to.be.greaterThan(20);
  });

  it("gives every Deployment an HPA, a PDB, a Service and a ServiceAccount", () => {
    for (const t of report.targets) {
      const deployments = t.objects.filter((o) => o.kind === "Deployment").map((o) => o.metadata.name);
      expect(deployments.sort(), t.target).to.deep.equal(["catalog", "edge", "inventory", "queue", "search"]);
      for (const name of deployments) {
        for (const kind of ["HorizontalPodAutoscaler", "PodDisruptionBudget", "Service", "ServiceAccount"]) {
          expect(find(t.objects, kind, name), `${t.target} ${kind}/${name}`).to.not.equal(undefined);
        }
        expect(find(t.objects, "HorizontalPodAutoscaler", name)?.spec.scaleTargetRef.name).to.equal(name);
      }
    }
  });

  it("probes the gRPC services with grpc health and the edge over HTTP", () => {
    const objects = rendered("production");
    for (const [name, port] of [
      ["catalog", 50051],
      ["search", 50052],
      ["inventory", 50053],
      ["queue", 50054],
    ] as const) {
      const c = container(find(objects, "Deployment", name));
      expect(c.readinessProbe.grpc.port).to.equal(port);
      expect(c.livenessProbe.grpc.port).to.equal(port);
      expect(c.args).to.deep.equal([`dist/services/${name}/src/main.js`]);
    }
    const edge = container(find(objects, "Deployment", "edge"));
    expect(edge.readinessProbe.httpGet).to.deep.include({ path: "/healthz", port: "http" });
    // Liveness must not depend on the backends (a PostgreSQL outage would restart every edge).
    expect(edge.livenessProbe.httpGet).to.deep.include({ path: "/livez", port: "http" });
    expect(edge.args).to.deep.equal(["dist/edge/src/main.js"]);
    // The metrics the HPA scales on are served on the port the Deployment names, not the public one.
    const metricsPort = edge.ports.find((p: { name: string }) => p.name === "metrics")?.containerPort;
    expect(edge.env.find((e: { name: string }) => e.name === "METRICS_PORT")?.value).to.equal(
      String(metricsPort),
    );
    const edgeMetrics = find(objects, "HorizontalPodAutoscaler", "edge")?.spec.metrics;
    expect(edgeMetrics.map((m: { type: string }) => m.type)).to.deep.equal(["Resource", "Pods"]);
    expect(edgeMetrics[1].pods.metric.name).to.equal("ticketing_edge_requests_in_flight");
    expect(find(objects, "Job", "migrate")?.spec.template.spec.containers[0].args).to.deep.equal([
      "dist/scripts/migrate.js",
    ]);
  });

  it("sizes the overlays: one small replica locally, more in production with replicas and Redlock masters", () => {
    const local = rendered("local");
    const prod = rendered("production");
    for (const name of ["catalog", "search", "inventory", "queue", "edge"]) {
      expect(find(local, "HorizontalPodAutoscaler", name)?.spec.minReplicas).to.equal(1);
      const base = find(rendered("base"), "HorizontalPodAutoscaler", name)?.spec;
      const p = find(prod, "HorizontalPodAutoscaler", name)?.spec;
      expect(p.minReplicas).to.be.greaterThan(base.minReplicas);
      expect(p.maxReplicas).to.be.at.least(base.maxReplicas);
      expect(quantity(container(find(local, "Deployment", name)).resources.requests.cpu)).to.be.below(0.25);
    }
    expect(find(rendered("base"), "HorizontalPodAutoscaler", "edge")?.spec.maxReplicas).to.equal(20);
    const cfg = find(prod, "ConfigMap", "ticketing-config")?.data;
    const masters = String(cfg.REDLOCK_URLS).split(",");
    expect(masters).to.have.length(3);
    expect(new Set(masters).size).to.equal(3);
    for (const url of masters) expect(url).to.match(/^redis:\/\//);
    expect(cfg.DATABASE_READ_URL).to.not.equal(cfg.DATABASE_URL);
    expect(find(local, "ConfigMap", "ticketing-config")?.data.AUTH_MODE).to.equal("local");
    for (const d of prod.filter((o) => o.kind === "Deployment")) {
      expect(container(d).image).to.match(/^registry\.example\.com\/ticketing\/ticketing:\d/);
    }
  });

  it("keeps the edge's seat-map streams open through the production ingress", () => {
    const annotations = find(rendered("production"), "Ingress", "edge")?.metadata.annotations ?? {};
    const heartbeatSeconds = 15;
    for (const key of ["proxy-read-timeout", "proxy-send-timeout"]) {
      expect(Number(annotations[`nginx.ingress.kubernetes.io/${key}`])).to.be.at.least(heartbeatSeconds * 4);
    }
    expect(annotations["nginx.ingress.kubernetes.io/proxy-buffering"]).to.equal("off");
  });

  it("commits no secret values and references the out-of-band Secret", () => {
    for (const t of report.targets) {
      expect(
        t.objects.filter((o) => o.kind === "Secret"),
        t.target,
      ).to.deep.equal([]);
      const refs = container(find(t.objects, "Deployment", "inventory")).envFrom.map(
        (e: Json) => e.secretRef?.name ?? e.configMapRef?.name,
      );
      expect(refs).to.deep.equal(["ticketing-config", "ticketing-secrets"]);
      // The admission tokens' private key reaches the queue alone.
      const keyHolders = t.objects
        .filter((o) => o.kind === "Deployment" && JSON.stringify(o).includes("queue-admission-key"))
        .map((o) => o.metadata.name);
      expect(keyHolders, t.target).to.deep.equal(["queue"]);
    }
  });

  it("gives the identity signing key to the edge alone, and its public keys to every service", () => {
    for (const t of report.targets) {
      const env = (name: string) =>
        Object.fromEntries(
          (container(find(t.objects, "Deployment", name)).env as Json[]).map((e) => [e.name, e.valueFrom]),
        );
      expect(env("edge").IDENTITY_SIGNING_KEY, t.target).to.deep.equal({
        secretKeyRef: { name: "ticketing-identity", key: "signing-key" },
      });
      for (const name of ["catalog", "search", "inventory", "queue"]) {
        expect(env(name).IDENTITY_PUBLIC_KEYS, `${t.target} ${name}`).to.deep.equal({
          secretKeyRef: { name: "ticketing-identity", key: "public-keys" },
        });
        expect(env(name), `${t.target} ${name}`).not.to.have.property("IDENTITY_SIGNING_KEY");
      }
    }
  });

  it("renders identically with the built-in renderer and kubectl kustomize", function () {
    if (!hasKubectl()) this.skip();
    const key = (o: K8sObject) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`;
    for (const t of targets) {
      const dir = join(deployDir, t.dir);
      const mine = new Map(renderBuiltin(dir).map((o) => [key(o), o]));
      const theirs = new Map(renderKubectl(dir).map((o) => [key(o), o]));
      expect([...mine.keys()].sort(), t.name).to.deep.equal([...theirs.keys()].sort());
      for (const [k, o] of mine) expect(isDeepStrictEqual(o, theirs.get(k)), `${t.name} ${k}`).to.equal(true);
    }
  });
});

describe("deploy validation catches problems", () => {
  const deployment = (): K8sObject =>
    structuredClone(
      renderBuiltin(join(deployDir, "k8s/base")).find((o) => o.kind === "Deployment"),
    ) as K8sObject;

  it("flags a container without limits, probes or a non-root user", () => {
    const d = deployment() as Json;
    const c = container(d);
    delete c.resources.limits;
    delete c.readinessProbe;
    c.securityContext.runAsNonRoot = false;
    c.securityContext.readOnlyRootFilesystem = false;
    const messages = checkPolicy([d as K8sObject], { minReplicas: 2, externalSecrets: [] }).map(
      (v) => v.message,
    );
    const text = messages.join("\n");
    for (const expected of [
      "no limits.cpu",
      "no limits.memory",
      "no readinessProbe",
      "runAsNonRoot is not true",
      "readOnlyRootFilesystem is not true",
      "no HorizontalPodAutoscaler",
      "no PodDisruptionBudget",
      "envFrom Secret ticketing-secrets is unknown",
    ]) {
      expect(text).to.include(expected);
    }
  });

  it("flags the identity signing key outside the edge and env from an unknown Secret", () => {
    const d = deployment() as Json;
    d.metadata.name = "catalog";
    container(d).env.push({
      name: "IDENTITY_SIGNING_KEY",
      valueFrom: { secretKeyRef: { name: "leaked", key: "signing-key" } },
    });
    const messages = checkPolicy([d as K8sObject], { minReplicas: 1, externalSecrets: [] }).map(
      (v) => v.message,
    );
    expect(messages).to.include("only the edge may hold IDENTITY_SIGNING_KEY");
    expect(messages).to.include("env IDENTITY_SIGNING_KEY refers to unknown Secret leaked");
  });

  it("flags schema errors and credentials in a ConfigMap", async () => {
    const d = deployment() as Json;
    d.spec.replicas = "two";
    expect((await schemaErrors(d as K8sObject)).join("\n")).to.include("/spec/replicas must be integer");
    const cm = {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "x" },
      data: { DATABASE_URL: "postgres://u:hunter2@db/x", JWT_SECRET: "s" },
    };
    const messages = checkPolicy([cm], { minReplicas: 1, externalSecrets: [] }).map((v) => v.message);
    expect(messages).to.have.length(2);
  });

  it("applies strategic merge and JSON patches like kustomize", () => {
    const base = { a: { b: 1, c: 2 }, list: [{ name: "x", v: 1 }], plain: [1, 2] };
    expect(
      strategicMerge(base, { a: { c: null, d: 3 }, list: [{ name: "x", v: 2 }, { name: "y" }], plain: [3] }),
    ).to.deep.equal({
      a: { b: 1, d: 3 },
      list: [{ name: "x", v: 2 }, { name: "y" }],
      plain: [3],
    });
    expect(
      applyJsonPatch(base, [
        { op: "replace", path: "/a/b", value: 5 },
        { op: "add", path: "/plain/-", value: 9 },
        { op: "remove", path: "/list/0" },
      ]),
    ).to.deep.equal({ a: { b: 5, c: 2 }, list: [], plain: [1, 2, 9] });
    expect(() => applyJsonPatch(base, [{ op: "replace", path: "/nope/x", value: 1 }])).to.throw(
      /no such path/,
    );
  });

  it("flags a Dockerfile that runs as root on the wrong base", () => {
    const dir = mkdtempSync(join(tmpdir(), "dockerfile-"));
    const file = join(dir, "Dockerfile");
    writeFileSync(file, 'FROM node:20\nRUN npm install\nCMD ["node", "x.js"]\n');
    const problems = checkDockerfile(file).join("\n");
    for (const expected of ["multi-stage", "node:20", "no USER", "npm ci --omit=dev"]) {
      expect(problems).to.include(expected);
    }
  });
});
