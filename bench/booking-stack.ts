// Child process of `npm run bench:booking`: the whole system (fresh database, Redis prefix,
// catalog, search, inventory and edge) on free ports, so the load driver gets its own process.
// Prints one JSON line with the URLs, then runs until SIGTERM and cleans everything up.
import { startTestStack } from "../edge/test/stack.ts";

const stack = await startTestStack("bench_booking", {
  EDGE_MICROCACHE_MS: "1000",
  DB_POOL_MAX: "20",
  RECONCILE_INTERVAL_SECONDS: "0",
});
process.stdout.write(`${JSON.stringify({ edgeUrl: stack.edgeUrl, databaseUrl: stack.databaseUrl })}\n`);
let closing = false;
const close = async () => {
  if (closing) return;
  closing = true;
  await stack.close();
  process.exit(0);
};
process.on("SIGTERM", close);
process.on("SIGINT", close);
process.on("disconnect", close);
