import type { FastifyInstance } from "fastify";
import type { EdgeDeps } from "../deps.ts";

export function registerBookingRoutes(_app: FastifyInstance, _deps: EdgeDeps): void {}
