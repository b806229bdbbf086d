// One place that imports redlock, so the rest of the service depends on these names only.
// Its types come from types/redlock.d.ts (the package's exports carry none).
import RedlockClass, { ExecutionError, Lock, ResourceLockedError } from "redlock";

export const Redlock = RedlockClass;
export type Redlock = RedlockClass;
export { ExecutionError, Lock, ResourceLockedError };
