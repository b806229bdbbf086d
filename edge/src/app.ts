// The public door: REST routes of the seed API, the Connect API for browsers, auth and errors.

import { createContextValues } from "@connectrpc/connect";
import { fastifyConnectPlugin } from "@connectrpc/connect-fastify";
import Fastify, { type FastifyInstance } from "fastify";
import { TicketingService } from "#gen/ticketing/api/v1/api_pb.js";
import type { SeatChange } from "#gen/ticketing/inventory/v1/seat_changes_pb.js";
import { decodeErrors, errorMappingInterceptor, loggingInterceptor, validationInterceptor } from "#platform";
import { routeAdminRpcs } from "./admin/admin-rpcs.ts";
import { registerAvailabilityRoutes } from "./availability/availability-routes.ts";
import { registerBookingRoutes } from "./booking/booking-routes.ts";
import type { EdgeDeps } from "./deps.ts";
import { callerKey, signedInInterceptor } from "./http/auth.ts";
import { ConnectGuard } from "./http/connect-guard.ts";
import { registerCors } from "./http/cors.ts";
import { drainOnClose } from "./http/drain.ts";
import { registerHealthRoutes } from "./http/health-route.ts";
import { onClientError, onFrameworkError, registerErrorHandling } from "./http/http-errors.ts";
import { parseQueryString, refuseMalformedQueries } from "./http/query-string.ts";
import { rateLimitKey, registerRateLimits } from "./http/rate-limits.ts";
import { closeUnreadBodies } from "./http/unread-bodies.ts";
import { registerLoginRoute } from "./identity/login-route.ts";
import { registerQueueRoutes } from "./queue/queue-routes.ts";
import { registerSearchRoutes } from "./search/search-routes.ts";
import { needsCaller, ticketingService } from "./ticketing-service.ts";
import { registerViewRoutes } from "./view/view-routes.ts";
import { registerWebRoutes } from "./web/web-routes.ts";

/** Largest REST body; Connect bodies have their own limit (EDGE_CONNECT_MAX_BYTES). */
const bodyLimit = 64 * 1024;

export async function buildEdge(deps: EdgeDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: false,
    bodyLimit,
    routerOptions: { maxParamLength: 200, querystringParser: parseQueryString },
    // request.ip: the TCP peer, or X-Forwarded-For's client when the peer is a trusted proxy.
    // Fastify types trustProxy per overload; the parsed value is one of the forms it accepts.
    trustProxy: deps.config.TRUST_PROXY as boolean,
    // Every answer in the {code, message} shape, also the ones Fastify and Node give by themselves.
    frameworkErrors: onFrameworkError,
    clientErrorHandler: onClientError,
    return503OnClosing: false,
  });
  registerErrorHandling(app, deps.logger, bodyLimit);
  drainOnClose(app, deps.config.EDGE_DRAIN_MS);
  deps.metrics.instrument(app);

  // First, so preflights are answered and every answer (a 401 too) carries the CORS headers.
  await registerCors(
    app,
    deps.config.CORS_ORIGINS.map((url) => new URL(url).origin),
  );
  closeUnreadBodies(app);
  refuseMalformedQueries(app);
  app.addHook("onRequest", async (request) => {
    const authorization = request.headers.authorization;
    if (authorization) request.caller = await deps.tokens.verify(authorization);
  });

  // A release or sale seen through any edge clears or refuses its seats here too.
  if (deps.seats.enabled) {
    const follow = (change: SeatChange) => deps.seats.follow(change);
    deps.seatChannel.subscribe(follow);
    app.addHook("onClose", async () => deps.seatChannel.unsubscribe(follow));
  }

  // Before the routes it covers: login, holds, bookings and queue joins, per user and per IP.
  const limit = await registerRateLimits(app, deps);
  registerHealthRoutes(app, deps);
  registerLoginRoute(app, deps);
  registerViewRoutes(app, deps);
  registerSearchRoutes(app, deps);
  registerBookingRoutes(app, deps);
  registerQueueRoutes(app, deps);
  registerAvailabilityRoutes(app, deps);
  await registerWebRoutes(app, deps);

  // The Connect routes in a scope of their own, so that only they get the guard's checks.
  const guard = new ConnectGuard();
  await app.register(async (scope) => {
    scope.addHook("onRequest", guard.onRequest);
    // Connect reads its bodies itself: its plugin puts pass-through parsers in place of REST's.
    scope.removeContentTypeParser("application/json");
    await scope.register(fastifyConnectPlugin, {
      routes: guard.routes((router) => {
        router.service(TicketingService, ticketingService(deps));
        routeAdminRpcs(router, deps);
      }),
      requestGate: decodeErrors.requestGate,
      interceptors: [
        decodeErrors.interceptor,
        loggingInterceptor(deps.logger),
        errorMappingInterceptor(deps.logger),
        signedInInterceptor(needsCaller),
        validationInterceptor(),
      ],
      readMaxBytes: deps.config.EDGE_CONNECT_MAX_BYTES,
      // The same rule as REST: a field the API does not know is refused, not silently ignored.
      jsonOptions: { ignoreUnknownFields: false },
      contextValues: (request) =>
        createContextValues()
          .set(callerKey, request.caller)
          .set(rateLimitKey, (action, email) => limit(request, action, email)),
    });
  });
  return app;
}
