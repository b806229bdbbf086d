// Renders a kustomization offline: with `kubectl kustomize` when kubectl is installed, otherwise
// with the small built-in renderer below, which covers exactly the features our manifests use:
// resources (files and directories), namespace, images, replicas, and patches (strategic merge
// or JSON 6902, from a file or inline, with an optional target). Anything else is an error rather
// than a silent mis-render.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseAllDocuments } from "yaml";
import { applyJsonPatch, type JsonPatchOp, strategicMerge } from "./patch.ts";

export type K8sObject = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [key: string]: unknown;
};

type Target = { kind?: string; name?: string; namespace?: string; group?: string; version?: string };
type Kustomization = {
  resources?: string[];
  namespace?: string;
  images?: { name: string; newName?: string; newTag?: string; digest?: string }[];
  replicas?: { name: string; count: number }[];
  patches?: { path?: string; patch?: string; target?: Target }[];
  [key: string]: unknown;
};

const supported = new Set(["apiVersion", "kind", "resources", "namespace", "images", "replicas", "patches"]);
const clusterScoped = new Set([
  "Namespace",
  "ClusterRole",
  "ClusterRoleBinding",
  "CustomResourceDefinition",
  "PriorityClass",
  "StorageClass",
  "IngressClass",
  "PersistentVolume",
]);

/** Parses every YAML document of a text into objects (empty documents are skipped). */
export function parseObjects(text: string, source: string): K8sObject[] {
  return parseAllDocuments(text).flatMap((doc) => {
    if (doc.errors.length > 0) throw new Error(`${source}: ${doc.errors[0]?.message}`);
    const value = doc.toJS() as K8sObject | null;
    return value === null ? [] : [value];
  });
}

function kustomizationFile(dir: string): string {
  for (const name of ["kustomization.yaml", "kustomization.yml", "Kustomization"]) {
    if (existsSync(join(dir, name))) return join(dir, name);
  }
  throw new Error(`${dir}: no kustomization.yaml`);
}

/** The built-in renderer: returns the objects in resource order. */
export function renderBuiltin(dir: string): K8sObject[] {
  const file = kustomizationFile(dir);
  const [k] = parseObjects(readFileSync(file, "utf8"), file) as unknown as Kustomization[];
  if (!k) throw new Error(`${file}: empty`);
  const unknown = Object.keys(k).filter((key) => !supported.has(key));
  if (unknown.length > 0)
    throw new Error(`${file}: unsupported by the built-in renderer: ${unknown.join(", ")}`);

  let objects: K8sObject[] = [];
  for (const entry of k.resources ?? []) {
    const path = resolve(dir, entry);
    objects.push(
      ...(statSync(path).isDirectory()
        ? renderBuiltin(path)
        : parseObjects(readFileSync(path, "utf8"), path)),
    );
  }
  for (const p of k.patches ?? []) objects = applyPatch(objects, dir, p);
  if (k.namespace) {
    for (const o of objects) if (!clusterScoped.has(o.kind)) o.metadata.namespace = k.namespace;
  }
  for (const r of k.replicas ?? []) {
    for (const o of objects) {
      if (["Deployment", "StatefulSet", "ReplicaSet"].includes(o.kind) && o.metadata.name === r.name) {
        const spec = at(o, "spec");
        if (spec) spec.replicas = r.count;
      }
    }
  }
  for (const image of k.images ?? []) for (const o of objects) setImages(o, image);
  return objects;
}

function matches(o: K8sObject, t: Target): boolean {
  const [group, version] = o.apiVersion.includes("/") ? o.apiVersion.split("/") : ["", o.apiVersion];
  return (
    (t.kind === undefined || t.kind === o.kind) &&
    (t.name === undefined || new RegExp(`^(?:${t.name})$`).test(o.metadata.name)) &&
    (t.namespace === undefined || t.namespace === o.metadata.namespace) &&
    (t.group === undefined || t.group === group) &&
    (t.version === undefined || t.version === version)
  );
}

function applyPatch(
  objects: K8sObject[],
  dir: string,
  p: { path?: string; patch?: string; target?: Target },
) {
  const text = p.path ? readFileSync(resolve(dir, p.path), "utf8") : p.patch;
  if (text === undefined) throw new Error(`${dir}: a patch needs path or patch`);
  const docs = parseAllDocuments(text).map((d) => d.toJS() as unknown);
  const body = docs[0];
  if (docs.length !== 1 || body === null || typeof body !== "object") {
    throw new Error(`${dir}: each patch must be exactly one document`);
  }
  let target = p.target;
  if (!Array.isArray(body) && target === undefined) {
    const meta = body as K8sObject;
    target = { kind: meta.kind, name: meta.metadata?.name, namespace: meta.metadata?.namespace };
  }
  if (target === undefined) throw new Error(`${dir}: a JSON 6902 patch needs a target`);
  const hits = objects.filter((o) => matches(o, target));
  if (hits.length === 0) throw new Error(`${dir}: patch target ${JSON.stringify(target)} matches nothing`);
  return objects.map((o) => {
    if (!hits.includes(o)) return o;
    if (Array.isArray(body)) return applyJsonPatch(o, body as JsonPatchOp[]) as K8sObject;
    const patch = structuredClone(body) as K8sObject;
    // A patch applied through a target keeps the object's identity.
    patch.metadata = { ...patch.metadata, name: o.metadata.name };
    delete patch.metadata.namespace;
    return strategicMerge(o, patch) as K8sObject;
  });
}

type Json = Record<string, unknown>;

function at(value: unknown, ...keys: string[]): Json | undefined {
  let cur = value;
  for (const key of keys) cur = cur !== null && typeof cur === "object" ? (cur as Json)[key] : undefined;
  return cur !== null && typeof cur === "object" ? (cur as Json) : undefined;
}

/** The pod specs inside a workload object (none for other kinds). */
export function podSpecs(o: K8sObject): Json[] {
  const spec =
    o.kind === "Pod"
      ? at(o, "spec")
      : o.kind === "CronJob"
        ? at(o, "spec", "jobTemplate", "spec", "template", "spec")
        : at(o, "spec", "template", "spec");
  return spec ? [spec] : [];
}

/** Splits "registry:5000/repo/name:tag@sha256:..." into name, tag and digest. */
export function parseImage(ref: string): { name: string; tag?: string; digest?: string } {
  const [withTag = "", digest] = ref.split("@");
  const slash = withTag.lastIndexOf("/");
  const colon = withTag.lastIndexOf(":");
  if (colon > slash) return { name: withTag.slice(0, colon), tag: withTag.slice(colon + 1), digest };
  return { name: withTag, digest };
}

function setImages(o: K8sObject, image: NonNullable<Kustomization["images"]>[number]): void {
  for (const spec of podSpecs(o)) {
    for (const key of ["initContainers", "containers"]) {
      for (const c of (spec[key] as { image?: string }[] | undefined) ?? []) {
        if (c.image === undefined) continue;
        const ref = parseImage(c.image);
        if (ref.name !== image.name) continue;
        const name = image.newName ?? ref.name;
        if (image.digest) c.image = `${name}@${image.digest}`;
        else if (image.newTag) c.image = `${name}:${image.newTag}`;
        else c.image = `${name}${ref.tag ? `:${ref.tag}` : ""}${ref.digest ? `@${ref.digest}` : ""}`;
      }
    }
  }
}

/** True when a kubectl binary answers on this machine. */
export function hasKubectl(): boolean {
  try {
    execFileSync("kubectl", ["version", "--client"], { stdio: "ignore", timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}

export function renderKubectl(dir: string): K8sObject[] {
  const out = execFileSync("kubectl", ["kustomize", dir], { encoding: "utf8", timeout: 60_000 });
  return parseObjects(out, `kubectl kustomize ${dir}`);
}

export type Renderer = "kubectl" | "builtin";

/** Renders with kubectl when available (or when asked), else with the built-in renderer. */
export function render(dir: string, renderer?: Renderer): { renderer: Renderer; objects: K8sObject[] } {
  const use = renderer ?? (hasKubectl() ? "kubectl" : "builtin");
  return { renderer: use, objects: use === "kubectl" ? renderKubectl(dir) : renderBuiltin(dir) };
}
