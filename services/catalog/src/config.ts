import { type ConfigOf, commonSpec, env, loadConfig } from "#platform";

export const catalogSpec = {
  ...commonSpec,
  PORT: env.int(50051, 0, 65535),
  HOST: env.string("0.0.0.0"),
};

export type CatalogConfig = ConfigOf<typeof catalogSpec>;

export function loadCatalogConfig(source: NodeJS.ProcessEnv = process.env): CatalogConfig {
  return loadConfig(catalogSpec, source);
}
