// Test-only entry point: the real inventory service (main.ts's build, real config from the
// environment) whose booking flow stops for good at the step named by CRASH_TEST_STOP_AT and says
// so on stdout, so a crash test can SIGKILL the process at exactly that point. Production never
// runs this file; main.ts reads no such variable.
import { loadInventoryConfig } from "../../src/config.ts";
import { build } from "../../src/main.ts";

const stopAt = process.env.CRASH_TEST_STOP_AT;
const announce = (message: object) => process.stdout.write(`${JSON.stringify(message)}\n`);

const service = await build(loadInventoryConfig(), {
  onStep: (step, bookingId) => {
    if (step !== stopAt) return;
    announce({ step, bookingId });
    return new Promise<void>(() => {}); // never resumes: the test kills the process here
  },
});
announce({ port: service.port });
process.once("SIGTERM", () => {
  void service.close().then(() => process.exit(0));
});
