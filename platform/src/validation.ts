// One validation path for every surface: the protovalidate rules in the .proto files, checked by
// one validator, with violations written as "<field path>: <rule's message>". Connect and gRPC
// callers see proto JSON names (`payment.expMonth`); a REST route passes its own names for the
// top-level fields (`paymentDetails.expMonth`, `Idempotency-Key`), so both read alike.
import {
  clearField,
  clone,
  type DescField,
  type DescMessage,
  fromJson,
  isFieldSet,
  type JsonValue,
  type MessageShape,
  ScalarType,
} from "@bufbuild/protobuf";
import { parsePath } from "@bufbuild/protobuf/reflect";
import {
  createValidator,
  pathFromViolationProto,
  RuntimeError,
  Violation,
  violationsToProto,
} from "@bufbuild/protovalidate";
import { ViolationsSchema } from "@bufbuild/protovalidate/gen/buf/validate/validate_pb.js";
import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";
import { createValidateInterceptor } from "@connectrpc/validate";

const validator = createValidator();

/** Names a surface gives to top-level fields, by their proto JSON name (`payment` → `paymentDetails`). */
export type FieldNames = Readonly<Record<string, string>>;

/** The violation's field as the caller names it: `paymentDetails.expMonth`, `ticketIds[2]`. */
export function violationPath(violation: Violation, names: FieldNames = {}): string {
  let path = "";
  for (const element of violation.field) {
    if (element.kind === "field") {
      const name = path === "" ? (names[element.jsonName] ?? element.jsonName) : element.jsonName;
      path += path === "" ? name : `.${name}`;
    } else if (element.kind === "list_sub") path += `[${element.index}]`;
    else if (element.kind === "map_sub") path += `[${JSON.stringify(element.key)}]`;
  }
  return path;
}

/** Every violation, one "<path>: <message>" each, joined by "; ". */
export function violationsMessage(violations: readonly Violation[], names: FieldNames = {}): string {
  return violations
    .map((v) => {
      const path = violationPath(v, names);
      return path ? `${path}: ${v.message}` : v.message;
    })
    .join("; ");
}

/** Throws InvalidArgument naming every violation (and carrying them as a detail), else returns. */
export function validateMessage<Desc extends DescMessage>(
  schema: Desc,
  message: MessageShape<Desc>,
  names: FieldNames = {},
): void {
  const result = validator.validate(schema, message);
  if (result.kind === "valid") {
    const nul = nulPath(schema, message as unknown as Record<string, unknown>, names);
    if (nul !== undefined)
      throw new ConnectError(`${nul}: must not contain NUL characters`, Code.InvalidArgument);
    return;
  }
  if (result.kind === "error") throw unevaluable(schema, message, result.error, names);
  const [value, desc] = violationsToProto(result.violations);
  throw new ConnectError(violationsMessage(result.violations, names), Code.InvalidArgument, undefined, [
    { desc, value },
  ]);
}

/**
 * A field-level refusal a service decides itself (a card's check digit), in the shape of the
 * validator's: "<path>: <message>" as Connect callers name the field, with the violation as a
 * typed detail so that another surface can name the field its own way (renameViolations).
 * `protoPath` names fields as the .proto does: "payment.card_number".
 */
export function fieldViolation<Desc extends DescMessage>(
  schema: Desc,
  protoPath: string,
  message: string,
  ruleId: string,
): ConnectError {
  const violation = new Violation(message, ruleId, parsePath(schema, protoPath), [], false);
  const [value, desc] = violationsToProto([violation]);
  return new ConnectError(violationsMessage([violation]), Code.InvalidArgument, undefined, [{ desc, value }]);
}

/**
 * An error whose violations travelled as a detail (from the validator or fieldViolation in a
 * service), its message rewritten with `names` for the request `schema` (REST's
 * `paymentDetails.cardNumber`); any other error as it was.
 */
export function renameViolations(err: unknown, schema: DescMessage, names: FieldNames): unknown {
  if (!(err instanceof ConnectError)) return err;
  const found = err.findDetails(ViolationsSchema).flatMap((d) => d.violations);
  if (found.length === 0) return err;
  try {
    const violations = found.map(
      (v) =>
        new Violation(v.message, v.ruleId, v.field ? pathFromViolationProto(schema, v.field) : [], [], false),
    );
    const renamed = new ConnectError(
      violationsMessage(violations, names),
      err.code,
      err.metadata,
      [],
      err.cause,
    );
    renamed.details = err.details;
    return renamed;
  } catch {
    return err; // a path the schema does not know: the message stays the service's
  }
}

/**
 * A rule CEL could not evaluate on this input (a timestamp past year 9999 in arithmetic, a
 * division by zero) is the input's fault when some fields explain it: InvalidArgument naming them.
 * A rule that does not compile, or an error no field explains, is ours: Internal.
 */
function unevaluable(schema: DescMessage, message: object, error: Error, names: FieldNames): ConnectError {
  const paths = error instanceof RuntimeError ? involvedFields(schema, message, names) : [];
  if (paths.length === 0) return new ConnectError(error.message, Code.Internal);
  return new ConnectError(
    `${paths.join(", ")}: cannot be checked against its rules (${error.message})`,
    Code.InvalidArgument,
  );
}

/**
 * The set fields a rule's evaluation error comes from: those without which it goes away (a rule
 * over several fields) or with which alone it stays (a rule of that field), deepest first.
 */
function involvedFields(
  schema: DescMessage,
  message: object,
  names: FieldNames,
  prefix = "",
  depth = 0,
): string[] {
  const errs = (m: object) => validator.validate(schema, m as MessageShape<DescMessage>).kind === "error";
  const shape = message as MessageShape<DescMessage>;
  if (!errs(shape)) return [];
  const paths: string[] = [];
  for (const field of schema.fields) {
    if (!isFieldSet(shape, field)) continue;
    const without = clone(schema, shape);
    clearField(without, field);
    const alone = clone(schema, shape);
    for (const other of schema.fields) if (other !== field) clearField(alone, other);
    if (errs(without) && !errs(alone)) continue;
    const path = prefix === "" ? (names[field.jsonName] ?? field.jsonName) : `${prefix}.${field.jsonName}`;
    const value = (shape as Record<string, unknown>)[field.localName];
    const deeper =
      field.fieldKind === "message" && depth < 8 && field.message && typeof value === "object" && value
        ? involvedFields(field.message, value, names, path, depth + 1)
        : [];
    paths.push(...(deeper.length > 0 ? deeper : [path]));
  }
  return paths;
}

/**
 * The Connect interceptor: unary requests get the messages above; streamed ones the library's
 * interceptor over the same validator.
 */
export function validationInterceptor(): Interceptor {
  const streams = createValidateInterceptor({ validator });
  return (next) => (req) => {
    if (req.stream) return streams(next)(req);
    validateMessage(req.method.input, req.message as MessageShape<DescMessage>);
    return next(req);
  };
}

/**
 * Decodes a JSON body into `schema` (unknown fields refused), with every problem an
 * InvalidArgument naming the field as the caller does; `names` as for `validateMessage`.
 */
export function messageFromJson<Desc extends DescMessage>(
  schema: Desc,
  json: JsonValue,
  names: FieldNames = {},
): MessageShape<Desc> {
  try {
    return fromJson(schema, json);
  } catch (err) {
    throw new ConnectError(jsonDecodeMessage(schema, (err as Error).message, names), Code.InvalidArgument);
  }
}

/**
 * protobuf-es's JSON decode errors name the proto field and echo the value (which could be a card
 * number); this names the field as the caller does and says what was expected instead.
 */
export function jsonDecodeMessage(root: DescMessage, message: string, names: FieldNames = {}): string {
  const field = /cannot decode field ([\w.]+) from JSON/.exec(message);
  if (field?.[1]) {
    const found = findField(root, (f) => `${f.parent.typeName}.${f.name}` === field[1], names);
    if (found) return `${found.path}: ${expected(found.field)}`;
  }
  const msg = /cannot decode message ([\w.]+) from JSON: (key "(.{0,40})[^"]*" is unknown)?/.exec(message);
  if (msg?.[1]) {
    const path =
      msg[1] === root.typeName ? "" : findField(root, (f) => f.message?.typeName === msg[1], names)?.path;
    if (path !== undefined) {
      if (msg[2]) return `${path ? `${path}.` : ""}${msg[3]}: unknown field`;
      return path ? `${path}: must be an object` : "the body must be a JSON object";
    }
  }
  return "the body does not match the request's shape";
}

function findField(
  root: DescMessage,
  match: (f: DescField) => boolean,
  names: FieldNames,
  prefix = "",
  depth = 0,
): { field: DescField; path: string } | undefined {
  if (depth > 8) return undefined;
  for (const f of root.fields) {
    const name = prefix === "" ? (names[f.jsonName] ?? f.jsonName) : f.jsonName;
    const path = prefix === "" ? name : `${prefix}.${name}`;
    if (match(f)) return { field: f, path };
    if (f.message) {
      const inner = findField(f.message, match, names, path, depth + 1);
      if (inner) return inner;
    }
  }
  return undefined;
}

function expected(field: DescField): string {
  const one = (kind: string) => (kind === "integer" ? "an integer" : `a ${kind}`);
  const kindOf = (f: DescField): string => {
    if (f.message) return "object";
    if (f.enum) return "enum value name";
    const scalar = f.fieldKind === "list" || f.fieldKind === "scalar" ? f.scalar : undefined;
    if (scalar === undefined) return "value";
    if (scalar === ScalarType.STRING) return "string";
    if (scalar === ScalarType.BOOL) return "boolean";
    if (scalar === ScalarType.DOUBLE || scalar === ScalarType.FLOAT) return "number";
    if (scalar === ScalarType.BYTES) return "base64 string";
    return "integer";
  };
  if (field.fieldKind === "list") return `must be an array of ${kindOf(field)}s`;
  if (field.fieldKind === "map") return "must be an object";
  return `must be ${one(kindOf(field))}`;
}

/**
 * The first string field holding a NUL character, as a path: PostgreSQL cannot store one in
 * text, so it would fail deep inside a service instead of being refused here.
 */
function nulPath(
  schema: DescMessage,
  message: Record<string, unknown>,
  names: FieldNames,
  prefix = "",
  depth = 0,
): string | undefined {
  if (depth > 16) return undefined;
  // Runs on every request: paths are only spelled out for a hit or a nested message.
  for (const field of schema.fields) {
    let value = message[field.localName];
    if (field.oneof) {
      const oneof = message[field.oneof.localName] as { case?: string; value?: unknown } | undefined;
      value = oneof?.case === field.localName ? oneof.value : undefined;
    }
    if (value === undefined || value === "") continue;
    const path = () =>
      prefix === "" ? (names[field.jsonName] ?? field.jsonName) : `${prefix}.${field.jsonName}`;
    if (field.fieldKind === "list") {
      const list = value as unknown[];
      for (let i = 0; i < list.length; i++) {
        const found = nulIn(field, list[i], () => `${path()}[${i}]`, names, depth);
        if (found !== undefined) return found;
      }
    } else if (field.fieldKind === "map") {
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        if (k.includes("\0")) return path();
        const found = nulIn(field, v, () => `${path()}[${JSON.stringify(k)}]`, names, depth);
        if (found !== undefined) return found;
      }
    } else {
      const found = nulIn(field, value, path, names, depth);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

function nulIn(
  field: DescField,
  item: unknown,
  at: () => string,
  names: FieldNames,
  depth: number,
): string | undefined {
  if (typeof item === "string") return item.includes("\0") ? at() : undefined;
  if (field.message && typeof item === "object" && item !== null)
    return nulPath(field.message, item as Record<string, unknown>, names, at(), depth + 1);
  return undefined;
}
