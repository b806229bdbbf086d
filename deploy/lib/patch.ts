// The two patch flavours kustomize applies: a strategic merge (maps merge, lists of named items
// merge by name, other lists are replaced, null deletes a key) and RFC 6902 JSON patch.
type Json = Record<string, unknown>;

const isMap = (v: unknown): v is Json => v !== null && typeof v === "object" && !Array.isArray(v);

/** Merge keys of the Kubernetes lists our manifests patch (containers, env, volumes, ports, ...). */
function mergeKey(items: unknown[]): string | undefined {
  for (const key of ["name", "containerPort", "mountPath"]) {
    if (items.length > 0 && items.every((i) => isMap(i) && i[key] !== undefined)) return key;
  }
  return undefined;
}

export function strategicMerge(base: unknown, patch: unknown): unknown {
  if (isMap(base) && isMap(patch)) {
    if (patch.$patch === "replace") {
      const { $patch: _, ...rest } = patch;
      return structuredClone(rest);
    }
    const out: Json = { ...base };
    for (const [key, value] of Object.entries(patch)) {
      if (value === null) delete out[key];
      else out[key] = key in base ? strategicMerge(base[key], value) : structuredClone(value);
    }
    return out;
  }
  if (Array.isArray(base) && Array.isArray(patch)) {
    const key = mergeKey([...base, ...patch]);
    if (key === undefined) return structuredClone(patch);
    const out = base.map((item) => structuredClone(item) as Json);
    for (const item of patch as Json[]) {
      const i = out.findIndex((existing) => existing[key] === item[key]);
      if (item.$patch === "delete") {
        if (i >= 0) out.splice(i, 1);
      } else if (i >= 0) out[i] = strategicMerge(out[i], item) as Json;
      else out.push(structuredClone(item));
    }
    return out;
  }
  return structuredClone(patch);
}

export type JsonPatchOp = { op: string; path: string; value?: unknown; from?: string };

function pointer(path: string): string[] {
  if (path === "") return [];
  if (!path.startsWith("/")) throw new Error(`JSON pointer must start with "/": ${path}`);
  return path
    .slice(1)
    .split("/")
    .map((t) => t.replaceAll("~1", "/").replaceAll("~0", "~"));
}

function parentOf(doc: unknown, tokens: string[], path: string): { parent: Json | unknown[]; last: string } {
  let cur: unknown = doc;
  for (const token of tokens.slice(0, -1)) {
    cur = Array.isArray(cur) ? cur[Number(token)] : isMap(cur) ? cur[token] : undefined;
    if (cur === undefined || cur === null || typeof cur !== "object")
      throw new Error(`no such path: ${path}`);
  }
  const last = tokens.at(-1);
  if (last === undefined) throw new Error(`cannot patch the document root: ${path}`);
  return { parent: cur as Json | unknown[], last };
}

function index(list: unknown[], token: string, path: string, forAdd: boolean): number {
  if (forAdd && token === "-") return list.length;
  const i = Number(token);
  if (!Number.isInteger(i) || i < 0 || i > list.length || (!forAdd && i === list.length)) {
    throw new Error(`bad array index in ${path}`);
  }
  return i;
}

/** Applies RFC 6902 operations (add, remove, replace, test) to a copy of the document. */
export function applyJsonPatch(doc: unknown, ops: JsonPatchOp[]): unknown {
  const out = structuredClone(doc);
  for (const { op, path, value } of ops) {
    const { parent, last } = parentOf(out, pointer(path), path);
    const exists = Array.isArray(parent) ? Number(last) < parent.length : last in parent;
    if (op !== "add" && !exists) throw new Error(`${op}: no such path: ${path}`);
    if (op === "add") {
      if (Array.isArray(parent)) parent.splice(index(parent, last, path, true), 0, structuredClone(value));
      else parent[last] = structuredClone(value);
    } else if (op === "remove") {
      if (Array.isArray(parent)) parent.splice(index(parent, last, path, false), 1);
      else delete parent[last];
    } else if (op === "replace") {
      if (Array.isArray(parent)) parent[index(parent, last, path, false)] = structuredClone(value);
      else parent[last] = structuredClone(value);
    } else if (op === "test") {
      const actual = Array.isArray(parent) ? parent[Number(last)] : parent[last];
      if (JSON.stringify(actual) !== JSON.stringify(value)) throw new Error(`test failed at ${path}`);
    } else {
      throw new Error(`unsupported JSON patch op "${op}"`);
    }
  }
  return out;
}
