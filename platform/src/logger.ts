import { type Logger, pino } from "pino";

export type { Logger };

/** JSON logs to stdout. Secrets never reach a log line: callers log ids, not payloads. */
export function createLogger(name: string, level = "info"): Logger {
  return pino({
    name,
    level,
    base: { service: name },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: ["*.cardNumber", "*.cvc", "*.password", "*.authorization", "*.token"],
      censor: "[redacted]",
    },
  });
}
