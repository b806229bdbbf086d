// The baseline of every HTTP benchmark: bare Fastify answering a tiny JSON body. Run as a child
// process (PORT from the environment) so it competes for the CPU exactly like the servers measured.
import Fastify from "fastify";

const app = Fastify({ logger: false });
app.get("/hello", async () => ({ hello: "world" }));
await app.listen({ port: Number(process.env.PORT ?? 0), host: "127.0.0.1" });
process.once("SIGTERM", () => {
  app.close().then(() => process.exit(0));
});
