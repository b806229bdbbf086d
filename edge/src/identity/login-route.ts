import type { FastifyInstance } from "fastify";
import type { EdgeDeps } from "../deps.ts";
import { protoJson } from "../http/json-body.ts";
import { signInByEmail } from "./sign-in.ts";

/** POST /auth/login {"email"} → {token, user}: demo sign-in, only in AUTH_MODE=local. */
export function registerLoginRoute(app: FastifyInstance, deps: EdgeDeps): void {
  if (!deps.users) return;
  app.post("/auth/login", async (request, reply) => {
    const { email } = protoJson(request.body, { email: "email" });
    const signedIn = await signInByEmail(deps, email);
    return reply.code(200).header("cache-control", "no-store").send(signedIn);
  });
}
