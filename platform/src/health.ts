import type { ConnectRouter } from "@connectrpc/connect";
import { Code, ConnectError } from "@connectrpc/connect";
import { Health, HealthCheckResponse_ServingStatus as Status } from "#gen/grpc/health/v1/health_pb.js";

/** Serving status per service name ("" is the whole server), answered through grpc.health.v1.Health. */
export class HealthState {
  private readonly statuses = new Map<string, Status>();
  private readonly listeners = new Set<() => void>();

  constructor(serviceNames: string[]) {
    for (const name of ["", ...serviceNames]) this.statuses.set(name, Status.NOT_SERVING);
  }

  setAll(serving: boolean): void {
    for (const name of this.statuses.keys())
      this.statuses.set(name, serving ? Status.SERVING : Status.NOT_SERVING);
    for (const listener of this.listeners) listener();
  }

  status(name: string): Status | undefined {
    return this.statuses.get(name);
  }

  register(router: ConnectRouter): void {
    router.service(Health, {
      check: (req) => {
        const status = this.status(req.service);
        if (status === undefined) throw new ConnectError(`unknown service ${req.service}`, Code.NotFound);
        return { status };
      },
      watch: (req, ctx) => this.watch(req.service, ctx.signal),
    });
  }

  private async *watch(name: string, signal: AbortSignal) {
    let wake = () => {};
    const listener = () => wake();
    this.listeners.add(listener);
    try {
      let last: Status | undefined;
      while (!signal.aborted) {
        const status = this.status(name) ?? Status.SERVICE_UNKNOWN;
        if (status !== last) yield { status };
        last = status;
        await new Promise<void>((resolve) => {
          wake = resolve;
          signal.addEventListener("abort", () => resolve(), { once: true });
        });
      }
    } finally {
      this.listeners.delete(listener);
    }
  }
}
