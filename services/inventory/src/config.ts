import { type ConfigOf, commonSpec, env, loadConfig } from "#platform";

export const inventorySpec = {
  ...commonSpec,
  PORT: env.int(50053, 0, 65535),
  HOST: env.string("0.0.0.0"),
};

export type InventoryConfig = ConfigOf<typeof inventorySpec>;

export function loadInventoryConfig(source: NodeJS.ProcessEnv = process.env): InventoryConfig {
  return loadConfig(inventorySpec, source);
}
