import type { JsonObject } from "@bufbuild/protobuf";
import { badRequest } from "./errors.ts";

/**
 * The REST body as proto JSON: its fields renamed (REST name → proto JSON name); any other field
 * is refused, as Connect's JSON refuses unknown fields.
 */
export function protoJson(body: unknown, fields: Record<string, string>): JsonObject {
  if (body === undefined || body === null) return {};
  if (typeof body !== "object" || Array.isArray(body)) throw badRequest("the body must be a JSON object");
  const json: JsonObject = {};
  for (const [key, value] of Object.entries(body as JsonObject)) {
    const name = fields[key];
    if (name === undefined)
      throw badRequest(`${key.slice(0, 40)}: unknown field; expected ${Object.keys(fields).join(", ")}`);
    json[name] = value;
  }
  return json;
}
