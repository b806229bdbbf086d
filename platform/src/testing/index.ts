// Test helpers, for test code only (`#platform/testing`): production code never imports them,
// and scripts/test/boundaries.test.ts checks it.

export * from "./call-counter.ts";
export * from "./errors.ts";
export * from "./fixtures.ts";
export * from "./identity.ts";
export * from "./raw-rpc.ts";
export * from "./redis-monitor.ts";
export * from "./server.ts";
