import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";
import { toConnectError } from "./errors.ts";
import type { Logger } from "./logger.ts";

/** One log line per RPC: method, code and duration. Errors the service did not mean are logged with their cause. */
export function loggingInterceptor(logger: Logger): Interceptor {
  return (next) => async (req) => {
    const started = performance.now();
    const method = `${req.service.typeName}/${req.method.name}`;
    try {
      const res = await next(req);
      logger.info({ method, code: "ok", durationMs: round(performance.now() - started) }, "rpc");
      return res;
    } catch (err) {
      const mapped = toConnectError(err);
      const line = { method, code: Code[mapped.code], durationMs: round(performance.now() - started) };
      if (mapped.code === Code.Internal || mapped.code === Code.Unavailable) {
        logger.error({ ...line, err: err instanceof ConnectError ? err.message : err }, "rpc failed");
      } else {
        logger.info({ ...line, reason: mapped.rawMessage }, "rpc");
      }
      throw mapped;
    }
  };
}

const round = (ms: number) => Math.round(ms * 100) / 100;
