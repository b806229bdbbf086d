// The whole-stack harness lives in scripts/local/stack.ts (benchmarks start it too); tests import it here.
export * from "../../scripts/local/stack.ts";
