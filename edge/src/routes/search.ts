import type { FastifyInstance } from "fastify";
import type { EdgeDeps } from "../deps.ts";

export function registerSearchRoutes(_app: FastifyInstance, _deps: EdgeDeps): void {}
