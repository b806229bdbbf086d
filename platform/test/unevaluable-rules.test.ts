// Rules CEL cannot evaluate on some input: the input's fault, InvalidArgument naming its field.
// Our .proto rules raise no such error today, so the messages here are built at run time, with
// the rule shapes that do: timestamp arithmetic past year 9999 and a division by a field.
import {
  create,
  createFileRegistry,
  type DescMessage,
  type MessageShape,
  setExtension,
} from "@bufbuild/protobuf";
import {
  DescriptorProtoSchema,
  FieldDescriptorProtoSchema,
  FieldOptionsSchema,
  FileDescriptorProtoSchema,
  file_google_protobuf_timestamp,
  FieldDescriptorProto_Label as Label,
  MessageOptionsSchema,
  FieldDescriptorProto_Type as Type,
} from "@bufbuild/protobuf/wkt";
import {
  FieldRulesSchema,
  field as fieldRules,
  file_buf_validate_validate,
  MessageRulesSchema,
  message as messageRules,
} from "@bufbuild/protovalidate/gen/buf/validate/validate_pb.js";
import { Code } from "@connectrpc/connect";
import { expect } from "chai";
import { connectErrorOf } from "../src/testing/index.ts";
import { validateMessage } from "../src/validation.ts";

const rule = (id: string, expression: string) => ({ id, expression, message: `${id} failed` });

/**
 * `Window { start; label; share { divisor } }`: a message rule adds an hour to start, a field rule
 * divides by divisor − 1.
 */
function windowSchema(): DescMessage {
  const fieldOptions = create(FieldOptionsSchema);
  setExtension(
    fieldOptions,
    fieldRules,
    create(FieldRulesSchema, { cel: [rule("share", "100 / (this - 1) > 0")] }),
  );
  const messageOptions = create(MessageOptionsSchema);
  setExtension(
    messageOptions,
    messageRules,
    create(MessageRulesSchema, {
      cel: [rule("hour", "!has(this.start) || this.start + duration('3600s') > this.start")],
    }),
  );
  const file = create(FileDescriptorProtoSchema, {
    name: "test/window.proto",
    package: "test.v1",
    syntax: "proto3",
    dependency: ["google/protobuf/timestamp.proto", "buf/validate/validate.proto"],
    messageType: [
      create(DescriptorProtoSchema, {
        name: "Share",
        field: [
          create(FieldDescriptorProtoSchema, {
            name: "divisor",
            number: 1,
            type: Type.INT64,
            label: Label.OPTIONAL,
            jsonName: "divisor",
            options: fieldOptions,
          }),
        ],
      }),
      create(DescriptorProtoSchema, {
        name: "Window",
        options: messageOptions,
        field: [
          create(FieldDescriptorProtoSchema, {
            name: "start",
            number: 1,
            type: Type.MESSAGE,
            typeName: ".google.protobuf.Timestamp",
            label: Label.OPTIONAL,
            jsonName: "start",
          }),
          create(FieldDescriptorProtoSchema, {
            name: "label",
            number: 2,
            type: Type.STRING,
            label: Label.OPTIONAL,
            jsonName: "label",
          }),
          create(FieldDescriptorProtoSchema, {
            name: "share",
            number: 3,
            type: Type.MESSAGE,
            typeName: ".test.v1.Share",
            label: Label.OPTIONAL,
            jsonName: "share",
          }),
        ],
      }),
    ],
  });
  const registry = createFileRegistry(file, (name) =>
    name === "google/protobuf/timestamp.proto"
      ? file_google_protobuf_timestamp
      : name === "buf/validate/validate.proto"
        ? file_buf_validate_validate
        : undefined,
  );
  const window = registry.getMessage("test.v1.Window");
  if (!window) throw new Error("test.v1.Window did not build");
  return window;
}

describe("platform/validation: rules that cannot be evaluated on the input", () => {
  const schema = windowSchema();
  const message = (init: Record<string, unknown>) => create(schema, init) as MessageShape<DescMessage>;
  const refusal = async (init: Record<string, unknown>, names = {}) => {
    const err = await connectErrorOf(
      Promise.resolve().then(() => validateMessage(schema, message(init), names)),
    );
    return [Code[err.code], err.rawMessage];
  };

  it("evaluates the rules on ordinary input", () => {
    validateMessage(
      schema,
      message({ start: { seconds: 1_800_000_000n }, share: { divisor: 5n }, label: "x" }),
    );
  });

  it("names the field a message rule cannot be evaluated on (a timestamp an hour from year 10000)", async () => {
    expect(await refusal({ start: { seconds: 253_402_300_000n }, label: "x" })).to.deep.equal([
      "InvalidArgument",
      "start: cannot be checked against its rules (timestamp out of range)",
    ]);
  });

  it("names a nested field by its path, as the caller names the top-level field", async () => {
    expect(await refusal({ share: { divisor: 1n }, label: "x" }, { share: "split" })).to.deep.equal([
      "InvalidArgument",
      "split.divisor: cannot be checked against its rules (int divide by zero)",
    ]);
  });

  it("names every field involved when several are", async () => {
    const [code, text] = await refusal({ start: { seconds: 253_402_300_000n }, share: { divisor: 1n } });
    expect(code).to.equal("InvalidArgument");
    expect(text).to.match(/^start, share\.divisor: cannot be checked against its rules \(.+\)$/);
  });
});
