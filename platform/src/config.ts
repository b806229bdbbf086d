// Typed environment configuration, parsed once at start-up. A missing or malformed variable
// stops the process with one line naming it, never a stack trace.

export class ConfigError extends Error {
  override name = "ConfigError";
}

type Parser<T> = (raw: string | undefined, name: string) => T;

function required(raw: string | undefined, name: string, fallback?: string): string {
  const value = raw === undefined || raw === "" ? fallback : raw;
  if (value === undefined) throw new ConfigError(`${name} is required but not set`);
  return value;
}

/** Variable parsers. Each takes an optional default used when the variable is unset or empty. */
export const env = {
  string:
    (fallback?: string): Parser<string> =>
    (raw, name) =>
      required(raw, name, fallback),
  optionalString: (): Parser<string | undefined> => (raw) =>
    raw === undefined || raw === "" ? undefined : raw,
  int:
    (fallback?: number, min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER): Parser<number> =>
    (raw, name) => {
      const text = required(raw, name, fallback?.toString());
      const n = Number(text);
      if (!/^-?\d+$/.test(text.trim()) || n < min || n > max) {
        throw new ConfigError(`${name} must be an integer between ${min} and ${max}, got "${text}"`);
      }
      return n;
    },
  bool:
    (fallback?: boolean): Parser<boolean> =>
    (raw, name) => {
      const text = required(raw, name, fallback?.toString()).toLowerCase();
      if (["1", "true", "yes", "on"].includes(text)) return true;
      if (["0", "false", "no", "off"].includes(text)) return false;
      throw new ConfigError(`${name} must be true or false, got "${text}"`);
    },
  oneOf:
    <const T extends string>(values: readonly T[], fallback?: T): Parser<T> =>
    (raw, name) => {
      const text = required(raw, name, fallback);
      if (!values.includes(text as T))
        throw new ConfigError(`${name} must be one of ${values.join(", ")}, got "${text}"`);
      return text as T;
    },
  url:
    (protocols: readonly string[], fallback?: string): Parser<string> =>
    (raw, name) =>
      parseUrl(required(raw, name, fallback), name, protocols),
  optionalUrl:
    (protocols: readonly string[]): Parser<string | undefined> =>
    (raw, name) =>
      raw === undefined || raw === "" ? undefined : parseUrl(raw, name, protocols),
  urlList:
    (protocols: readonly string[], fallback?: string): Parser<string[]> =>
    (raw, name) =>
      required(raw, name, fallback)
        .split(",")
        .map((u) => parseUrl(u.trim(), name, protocols)),
};

function parseUrl(text: string, name: string, protocols: readonly string[]): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ConfigError(`${name} must be a URL (${protocols.join(" or ")}), got "${redact(text)}"`);
  }
  if (!protocols.includes(url.protocol.replace(/:$/, ""))) {
    throw new ConfigError(`${name} must use ${protocols.join(" or ")}, got "${url.protocol}"`);
  }
  return text;
}

/** Hides a password in a URL-ish string before it is printed. */
export function redact(text: string): string {
  return text.replace(/(\/\/[^:/@]+:)[^@]*@/, "$1***@");
}

export type ConfigSpec = Record<string, Parser<unknown>>;
export type ConfigOf<S extends ConfigSpec> = { [K in keyof S]: ReturnType<S[K]> };

/** Parses the given variables; throws ConfigError naming the first bad one. */
export function parseConfig<S extends ConfigSpec>(
  spec: S,
  source: NodeJS.ProcessEnv = process.env,
): ConfigOf<S> {
  const out: Record<string, unknown> = {};
  for (const [name, parse] of Object.entries(spec)) out[name] = parse(source[name], name);
  return out as ConfigOf<S>;
}

/** Like parseConfig, but prints the problem on one line and exits the process. */
export function loadConfig<S extends ConfigSpec>(
  spec: S,
  source: NodeJS.ProcessEnv = process.env,
): ConfigOf<S> {
  try {
    return parseConfig(spec, source);
  } catch (err) {
    if (err instanceof ConfigError) exitWithError(`configuration error: ${err.message}`);
    throw err;
  }
}

/** Prints one line to stderr and exits non-zero: the way every CLI and service reports a fatal problem. */
export function exitWithError(message: string, code = 1): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

/** Variables every service shares. */
export const commonSpec = {
  LOG_LEVEL: env.oneOf(["fatal", "error", "warn", "info", "debug", "trace", "silent"], "info"),
  DATABASE_URL: env.url(["postgres", "postgresql"], "postgres://postgres@127.0.0.1:5432/ticketing"),
  REDIS_URL: env.url(["redis", "rediss"], "redis://127.0.0.1:6379"),
  REDIS_KEY_PREFIX: env.string(""),
};
