// Prints a FileDescriptorProto back into .proto source. Only what codegen needs is printed:
// messages, fields, oneofs, enums, ranges and extensions. Options are left out on purpose: our
// own protos only need the extension *types* to compile; the runtime uses the package's descriptor.
import { isFieldSet } from "@bufbuild/protobuf";
import {
  type DescriptorProto,
  type EnumDescriptorProto,
  type FieldDescriptorProto,
  FieldDescriptorProtoSchema,
  type FileDescriptorProto,
} from "@bufbuild/protobuf/wkt";

const scalarNames: Record<number, string> = {
  1: "double",
  2: "float",
  3: "int64",
  4: "uint64",
  5: "int32",
  6: "fixed64",
  7: "fixed32",
  8: "bool",
  9: "string",
  12: "bytes",
  13: "uint32",
  15: "sfixed32",
  16: "sfixed64",
  17: "sint32",
  18: "sint64",
};
const labelNames: Record<number, string> = { 1: "optional", 2: "required", 3: "repeated" };
const maxField = 536870912;
// proto2 fields read as 0 when unset, so presence decides membership of oneof 0.
const oneofOf = (f: FieldDescriptorProto) =>
  isFieldSet(f, FieldDescriptorProtoSchema.field.oneofIndex) ? f.oneofIndex : undefined;

function fieldType(f: FieldDescriptorProto): string {
  return f.typeName ? f.typeName : (scalarNames[f.type] ?? `/* type ${f.type} */`);
}

function field(f: FieldDescriptorProto, inOneof: boolean): string {
  const label = inOneof ? "" : `${labelNames[f.label]} `;
  const dflt = isFieldSet(f, FieldDescriptorProtoSchema.field.defaultValue)
    ? ` [default = ${f.type === 9 ? JSON.stringify(f.defaultValue) : f.defaultValue}]`
    : "";
  return `${label}${fieldType(f)} ${f.name} = ${f.number}${dflt};`;
}

function enumBlock(e: EnumDescriptorProto, pad: string): string[] {
  return [`${pad}enum ${e.name} {`, ...e.value.map((v) => `${pad}  ${v.name} = ${v.number};`), `${pad}}`];
}

function message(m: DescriptorProto, pad: string): string[] {
  const out = [`${pad}message ${m.name} {`];
  const inner = `${pad}  `;
  for (const n of m.nestedType) out.push(...message(n, inner));
  for (const e of m.enumType) out.push(...enumBlock(e, inner));
  m.oneofDecl.forEach((o, i) => {
    out.push(`${inner}oneof ${o.name} {`);
    for (const f of m.field.filter((x) => oneofOf(x) === i)) out.push(`${inner}  ${field(f, true)}`);
    out.push(`${inner}}`);
  });
  for (const f of m.field.filter((x) => oneofOf(x) === undefined)) out.push(`${inner}${field(f, false)}`);
  for (const r of m.extensionRange) {
    out.push(`${inner}extensions ${r.start} to ${r.end >= maxField ? "max" : r.end - 1};`);
  }
  for (const r of m.reservedRange) {
    out.push(`${inner}reserved ${r.end - 1 === r.start ? r.start : `${r.start} to ${r.end - 1}`};`);
  }
  if (m.reservedName.length > 0) {
    out.push(`${inner}reserved ${m.reservedName.map((n) => JSON.stringify(n)).join(", ")};`);
  }
  out.push(`${pad}}`);
  return out;
}

export function printProto(file: FileDescriptorProto): string {
  if (file.syntax && file.syntax !== "proto2") throw new Error(`unsupported syntax ${file.syntax}`);
  const lines = [
    "// Generated from the descriptor shipped in the npm package. Do not edit.",
    'syntax = "proto2";',
    `package ${file.package};`,
    ...file.dependency.map((d) => `import "${d}";`),
  ];
  for (const m of file.messageType) lines.push(...message(m, ""));
  for (const e of file.enumType) lines.push(...enumBlock(e, ""));
  for (const x of file.extension) lines.push(`extend ${x.extendee} { ${field(x, false)} }`);
  return `${lines.join("\n")}\n`;
}
