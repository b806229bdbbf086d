// Schema validation with kubernetes-models: the model class for an object's apiVersion and kind
// is imported by path (kubernetes-models/<group>/<version>/<Kind>), constructed from the object,
// and its generated OpenAPI validator run.
import type { K8sObject } from "./kustomize.ts";

type Model = { validate(): void };
type ModelClass = new (data: unknown) => Model;

const cache = new Map<string, ModelClass | undefined>();

async function modelClass(apiVersion: string, kind: string): Promise<ModelClass | undefined> {
  const key = `${apiVersion}/${kind}`;
  if (!cache.has(key)) {
    // Core group objects ("v1") live at kubernetes-models/v1/<Kind>.
    const specifier = `kubernetes-models/${apiVersion}/${kind}`;
    try {
      const mod = (await import(specifier)) as Record<string, unknown>;
      cache.set(key, mod[kind] as ModelClass | undefined);
    } catch {
      cache.set(key, undefined);
    }
  }
  return cache.get(key);
}

type AjvError = { instancePath?: string; message?: string; params?: Record<string, unknown> };

/** Returns the schema violations of one object (empty when valid). */
export async function schemaErrors(o: K8sObject): Promise<string[]> {
  if (typeof o.apiVersion !== "string" || typeof o.kind !== "string") return ["missing apiVersion or kind"];
  const Model = await modelClass(o.apiVersion, o.kind);
  if (!Model) return [`no kubernetes-models schema for ${o.apiVersion} ${o.kind}`];
  try {
    new Model(o).validate();
    return [];
  } catch (err) {
    const errors = (err as { errors?: AjvError[] }).errors;
    if (!Array.isArray(errors)) return [String((err as Error).message ?? err)];
    // oneOf failures repeat every branch; keep one line per path and message.
    const lines = errors.map((e) => `${e.instancePath || "/"} ${e.message ?? "is invalid"}`);
    return [...new Set(lines)];
  }
}
