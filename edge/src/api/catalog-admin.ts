// The catalog's admin writes, reachable through the edge: the edge checks the bearer token and
// the admin role, then forwards the call with the caller's identity as metadata. Mounted as its
// own Connect service (ticketing.catalog.v1.CatalogService) beside the public API; the change
// feed and export RPCs stay internal (they answer Unimplemented here).
import { createValidator } from "@bufbuild/protovalidate";
import {
  Code,
  ConnectError,
  createContextValues,
  type HandlerContext,
  type ServiceImpl,
} from "@connectrpc/connect";
import { fastifyConnectPlugin } from "@connectrpc/connect-fastify";
import { createValidateInterceptor } from "@connectrpc/validate";
import type { FastifyInstance } from "fastify";
import { CatalogService } from "#gen/ticketing/catalog/v1/catalog_pb.js";
import { callerHeaders, loggingInterceptor } from "#platform";
import type { EdgeDeps } from "../deps.ts";
import { callerKey, requireConnectCaller } from "../http/auth.ts";

type AdminRpcs = Pick<
  ServiceImpl<typeof CatalogService>,
  | "createVenue"
  | "updateVenue"
  | "createPerformer"
  | "updatePerformer"
  | "createEvent"
  | "updateEvent"
  | "getVenue"
>;

export function catalogAdminHandlers(deps: EdgeDeps): AdminRpcs {
  const asAdmin = (ctx: HandlerContext) => {
    const caller = requireConnectCaller(ctx);
    // Checked here too so a non-admin never reaches the catalog; the catalog checks again.
    if (caller.role !== "admin") throw new ConnectError("this needs the admin role", Code.PermissionDenied);
    return { headers: callerHeaders(caller), signal: ctx.signal };
  };
  return {
    createVenue: (req, ctx) => deps.catalog.createVenue(req, asAdmin(ctx)),
    updateVenue: (req, ctx) => deps.catalog.updateVenue(req, asAdmin(ctx)),
    createPerformer: (req, ctx) => deps.catalog.createPerformer(req, asAdmin(ctx)),
    updatePerformer: (req, ctx) => deps.catalog.updatePerformer(req, asAdmin(ctx)),
    createEvent: (req, ctx) => deps.catalog.createEvent(req, asAdmin(ctx)),
    updateEvent: (req, ctx) => deps.catalog.updateEvent(req, asAdmin(ctx)),
    getVenue: (req, ctx) => deps.catalog.getVenue(req, { signal: ctx.signal }),
  };
}

export function registerCatalogAdmin(app: FastifyInstance, deps: EdgeDeps): void {
  app.register(fastifyConnectPlugin, {
    routes: (router) => router.service(CatalogService, catalogAdminHandlers(deps)),
    interceptors: [
      loggingInterceptor(deps.logger),
      createValidateInterceptor({ validator: createValidator() }),
    ],
    contextValues: (request) => createContextValues().set(callerKey, request.caller),
  });
}
