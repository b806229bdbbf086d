// The public door: REST routes of the seed API, the Connect API for browsers, auth and errors.

import { createContextValues } from "@connectrpc/connect";
import { fastifyConnectPlugin } from "@connectrpc/connect-fastify";
import Fastify, { type FastifyInstance } from "fastify";
import { TicketingService } from "#gen/ticketing/api/v1/api_pb.js";
import type { SeatChange } from "#gen/ticketing/inventory/v1/seat_changes_pb.js";
import { errorMappingInterceptor, loggingInterceptor, validationInterceptor } from "#platform";
import { routeAdminRpcs } from "./admin/admin-rpcs.ts";
import { registerAvailabilityRoutes } from "./availability/availability-routes.ts";
import { registerBookingRoutes } from "./booking/booking-routes.ts";
import type { EdgeDeps } from "./deps.ts";
import { callerKey } from "./http/auth.ts";
import { registerCors } from "./http/cors.ts";
import { sendError } from "./http/errors.ts";
import { registerHealthRoutes } from "./http/health-route.ts";
import { closeUnreadBodies } from "./http/unread-bodies.ts";
import { registerLoginRoute } from "./identity/login-route.ts";
import { registerQueueRoutes } from "./queue/queue-routes.ts";
import { registerSearchRoutes } from "./search/search-routes.ts";
import { ticketingService } from "./ticketing-service.ts";
import { registerViewRoutes } from "./view/view-routes.ts";
import { registerWebRoutes } from "./web/web-routes.ts";

export async function buildEdge(deps: EdgeDeps): Promise<FastifyInstance> {
  const app = Fastify({ logger: false, bodyLimit: 64 * 1024, routerOptions: { maxParamLength: 200 } });

  // First, so preflights are answered and every answer (a 401 too) carries the CORS headers.
  await registerCors(
    app,
    deps.config.CORS_ORIGINS.map((url) => new URL(url).origin),
  );
  closeUnreadBodies(app);
  app.addHook("onRequest", async (request) => {
    const authorization = request.headers.authorization;
    if (authorization) request.caller = await deps.tokens.verify(authorization);
  });

  app.setErrorHandler((err, request, reply) => {
    // Fastify's own 4xx (malformed JSON, body too large, wrong content type) keep their status.
    if (
      err instanceof Error &&
      "statusCode" in err &&
      typeof err.statusCode === "number" &&
      err.statusCode < 500
    ) {
      return reply.code(err.statusCode).send({ code: "invalid_argument", message: err.message });
    }
    const sent = sendError(reply, err);
    if (reply.statusCode >= 500) deps.logger.error({ err, url: request.url }, "request failed");
    return sent;
  });
  app.setNotFoundHandler((request, reply) =>
    reply
      .code(404)
      .send({ code: "not_found", message: `no route for ${request.method} ${request.url.split("?")[0]}` }),
  );

  // A release or sale seen through any edge clears or refuses its seats here too.
  if (deps.seats.enabled) {
    const follow = (change: SeatChange) => deps.seats.follow(change);
    deps.seatChannel.subscribe(follow);
    app.addHook("onClose", async () => deps.seatChannel.unsubscribe(follow));
  }

  registerHealthRoutes(app, deps);
  registerLoginRoute(app, deps);
  registerViewRoutes(app, deps);
  registerSearchRoutes(app, deps);
  registerBookingRoutes(app, deps);
  registerQueueRoutes(app, deps);
  registerAvailabilityRoutes(app, deps);
  await registerWebRoutes(app, deps);

  await app.register(fastifyConnectPlugin, {
    routes: (router) => {
      router.service(TicketingService, ticketingService(deps));
      routeAdminRpcs(router, deps);
    },
    interceptors: [
      loggingInterceptor(deps.logger),
      errorMappingInterceptor(deps.logger),
      validationInterceptor(),
    ],
    readMaxBytes: deps.config.EDGE_CONNECT_MAX_BYTES,
    contextValues: (request) => createContextValues().set(callerKey, request.caller),
  });
  return app;
}
