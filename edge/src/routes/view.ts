import type { FastifyInstance } from "fastify";
import type { EdgeDeps } from "../deps.ts";

export function registerViewRoutes(_app: FastifyInstance, _deps: EdgeDeps): void {}
