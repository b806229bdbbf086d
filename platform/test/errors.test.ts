import { expect } from "chai";
import pg from "pg";
import { certainlyNotCommitted, freePort } from "../src/index.ts";
import { createTestDatabase, type TestDatabase } from "../src/testing/index.ts";

/** The error a real statement or connection attempt rejects with. */
const errorOf = async (work: () => Promise<unknown>): Promise<unknown> => {
  try {
    await work();
  } catch (err) {
    return err;
  }
  throw new Error("expected the call to fail");
};

describe("platform: certainlyNotCommitted", () => {
  let db: TestDatabase;
  let client: pg.Client;
  before(async () => {
    db = await createTestDatabase("errors");
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
  });
  after(async () => {
    await client?.end().catch(() => undefined);
    await db?.drop();
  });

  it("an error PostgreSQL answered with: the statement was rolled back", async () => {
    const err = await errorOf(() => client.query("select 1 / 0"));
    expect((err as { code: string }).code).to.equal("22012");
    expect(certainlyNotCommitted(err)).to.equal(true);
    expect(certainlyNotCommitted({ previous: err })).to.equal(true);
  });

  it("a connection that was never made: nothing was sent", async () => {
    const closedPort = await freePort();
    const err = await errorOf(() =>
      new pg.Client({ host: "127.0.0.1", port: closedPort, user: "postgres" }).connect(),
    );
    expect(certainlyNotCommitted(err)).to.equal(true);
  });

  it("a connection that died with the statement sent: unknown", async () => {
    const victim = new pg.Client({ connectionString: db.url });
    await victim.connect();
    victim.on("error", () => undefined);
    const { rows } = await victim.query<{ pid: number }>("select pg_backend_pid() as pid");
    const running = errorOf(() => victim.query("select pg_sleep(5)"));
    await new Promise((resolve) => setTimeout(resolve, 100));
    await client.query("select pg_terminate_backend($1)", [rows[0]?.pid]);
    const err = await running;
    expect(certainlyNotCommitted(err)).to.equal(false);
    expect(certainlyNotCommitted(new Error("Connection terminated unexpectedly"))).to.equal(false);
  });
});
