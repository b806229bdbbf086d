// `npm run generate`: rebuilds gen/ from proto/ with buf + protoc-gen-es.
// The Buf Schema Registry is out of reach, so buf/validate/validate.proto is printed from the
// descriptor inside @bufbuild/protovalidate into a git-ignored folder first.
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { file_buf_validate_validate } from "@bufbuild/protovalidate/gen/buf/validate/validate_pb.js";
import { printProto } from "./print-proto.ts";

const root = join(import.meta.dirname, "..");
const target = join(root, ".build/proto-deps/buf/validate/validate.proto");
mkdirSync(dirname(target), { recursive: true });
writeFileSync(target, printProto(file_buf_validate_validate.proto));

const buf = join(root, "node_modules/.bin/buf");
const env = { ...process.env, PATH: `${join(root, "node_modules/.bin")}:${process.env.PATH}` };
execFileSync(buf, ["generate"], { cwd: root, env, stdio: "inherit" });
