// redlock 5's package "exports" carry no types, so NodeNext resolution finds none. This points
// the bare specifier at the declarations it ships, for the type checker only (a tsconfig `paths`
// mapping would also be applied by tsx at run time and load the .d.ts instead of the code).
declare module "redlock" {
  type Shipped = typeof import("../node_modules/redlock/dist/index.js");
  const Redlock: Shipped["default"];
  type Redlock = import("../node_modules/redlock/dist/index.js").default;
  export default Redlock;
  export const ExecutionError: Shipped["ExecutionError"];
  export type ExecutionError = import("../node_modules/redlock/dist/index.js").ExecutionError;
  export const ResourceLockedError: Shipped["ResourceLockedError"];
  export type ResourceLockedError = import("../node_modules/redlock/dist/index.js").ResourceLockedError;
  export const Lock: Shipped["Lock"];
  export type Lock = import("../node_modules/redlock/dist/index.js").Lock;
  export type Settings = import("../node_modules/redlock/dist/index.js").Settings;
}
