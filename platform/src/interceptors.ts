import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";
import { toConnectError } from "./errors.ts";
import type { Logger } from "./logger.ts";

/** One log line per RPC: method, code and duration. */
export function loggingInterceptor(logger: Logger): Interceptor {
  return (next) => async (req) => {
    const started = performance.now();
    const method = `${req.service.typeName}/${req.method.name}`;
    try {
      const res = await next(req);
      logger.info({ method, code: "ok", durationMs: round(performance.now() - started) }, "rpc");
      return res;
    } catch (err) {
      const ce = ConnectError.from(err);
      const line = { method, code: Code[ce.code], durationMs: round(performance.now() - started) };
      logger.info(ce.code === Code.Internal ? line : { ...line, reason: ce.rawMessage }, "rpc");
      throw err;
    }
  };
}

/**
 * Turns store and driver errors into the Connect code a client can act on (see toConnectError),
 * logging the cause of anything unexpected here because the client only sees a generic message.
 */
export function errorMappingInterceptor(logger: Logger): Interceptor {
  return (next) => async (req) => {
    try {
      return await next(req);
    } catch (err) {
      const mapped = toConnectError(err);
      if (mapped !== err && (mapped.code === Code.Internal || mapped.code === Code.Unavailable)) {
        logger.error({ method: `${req.service.typeName}/${req.method.name}`, err }, "rpc failed");
      }
      throw mapped;
    }
  };
}

const round = (ms: number) => Math.round(ms * 100) / 100;
