import { type ConfigOf, commonSpec, env, loadConfig } from "#platform";

export const searchSpec = {
  ...commonSpec,
  PORT: env.int(50052, 0, 65535),
  HOST: env.string("0.0.0.0"),
};

export type SearchConfig = ConfigOf<typeof searchSpec>;

export function loadSearchConfig(source: NodeJS.ProcessEnv = process.env): SearchConfig {
  return loadConfig(searchSpec, source);
}
