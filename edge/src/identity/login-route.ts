import type { FastifyInstance } from "fastify";
import type { EdgeDeps } from "../deps.ts";
import { badRequest } from "../http/errors.ts";
import { protoJson } from "../http/json-body.ts";

/** No spaces, control characters (NUL included) or second @. */
const emailPattern = /^[^\s@\p{Cc}]{1,64}@[^\s@\p{Cc}]{1,188}\.[^\s@\p{Cc}]{2,}$/u;

/** POST /auth/login {"email"} → {token, user}: demo sign-in, only in AUTH_MODE=local. */
export function registerLoginRoute(app: FastifyInstance, deps: EdgeDeps): void {
  const users = deps.users;
  if (!users) return;
  app.post("/auth/login", async (request, reply) => {
    const { email } = protoJson(request.body, { email: "email" });
    if (typeof email !== "string" || !emailPattern.test(email.trim())) {
      throw badRequest("email must be an e-mail address");
    }
    const user = await users.findOrCreate(email);
    const token = await deps.tokens.sign({ userId: user.id, role: user.role });
    return reply.code(200).header("cache-control", "no-store").send({ token, user });
  });
}
