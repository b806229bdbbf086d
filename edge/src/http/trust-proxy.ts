// TRUST_PROXY: which peers' X-Forwarded-For the edge believes, so `request.ip` (and with it the
// per-IP rate limits) is the client's address behind a proxy and cannot be forged without one.
import { isIP } from "node:net";
import { ConfigError } from "#platform";

/** Fastify's `trustProxy`: false (default: the TCP peer is the client), true, a hop count, or addresses/CIDRs. */
export type TrustProxy = boolean | number | string[];

export const trustProxyParser = (raw: string | undefined, name: string): TrustProxy => {
  const text = (raw ?? "").trim();
  if (text === "" || text === "false") return false;
  if (text === "true") return true;
  if (/^\d+$/.test(text)) return Number(text);
  const entries = text.split(",").map((s) => s.trim());
  for (const entry of entries) {
    const [address, bits, extra] = entry.split("/");
    const family = isIP(address ?? "");
    const maxBits = family === 4 ? 32 : 128;
    const badBits = bits !== undefined && (!/^\d+$/.test(bits) || Number(bits) > maxBits);
    if (family === 0 || badBits || extra !== undefined) {
      throw new ConfigError(
        `${name} must be true, false, a hop count or comma-separated proxy addresses/CIDRs, got "${entry}"`,
      );
    }
  }
  return entries;
};
