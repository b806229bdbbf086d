import { randomUUID } from "node:crypto";
import { Code, createClient, type Interceptor } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { expect } from "chai";
import { TicketingService } from "#gen/ticketing/api/v1/api_pb.js";
import { connectErrorOf } from "#platform/testing";
import { type BareEdge, startBareEdge } from "./bare-edge.ts";

const card = { cardNumber: "4242 4242 4242 4242", expMonth: 12, expYear: 2099, cvc: "123", name: "Ada" };

describe("edge: one validation path for REST and Connect", () => {
  let bare: BareEdge;
  let token: string;
  const eventId = randomUUID();
  const ticketIds = [randomUUID()];
  before(async () => {
    bare = await startBareEdge("edge_validation");
    token = await bare.token();
  });
  after(async () => {
    await bare?.close();
  });

  async function rest(path: string, body: unknown, headers: Record<string, string> = {}) {
    const res = await fetch(`${bare.url}${path}`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as { code: string; message: string } };
  }
  const book = (body: unknown) => rest(`/bookings/${eventId}`, body, { "idempotency-key": randomUUID() });
  const rpc = () => {
    const bearer: Interceptor = (next) => (req) => {
      req.header.set("authorization", `Bearer ${token}`);
      return next(req);
    };
    return createClient(
      TicketingService,
      createConnectTransport({ baseUrl: bare.url, httpVersion: "1.1", interceptors: [bearer] }),
    );
  };

  it("names REST fields as REST does and Connect fields as proto JSON does, with the same rule's message", async () => {
    const restAnswer = await book({ ticketIds, paymentDetails: { ...card, expMonth: 13 } });
    expect(restAnswer).to.deep.equal({
      status: 400,
      body: {
        code: "invalid_argument",
        message: "paymentDetails.expMonth: must be greater than or equal to 1 and less than or equal to 12",
      },
    });
    const connectAnswer = await connectErrorOf(
      rpc().bookTickets({ eventId, ticketIds, idempotencyKey: "k", payment: { ...card, expMonth: 13 } }),
    );
    expect(connectAnswer.code).to.equal(Code.InvalidArgument);
    expect(connectAnswer.rawMessage).to.equal(
      "payment.expMonth: must be greater than or equal to 1 and less than or equal to 12",
    );
  });

  it("lists every violation, ticket ids by index, the same on both surfaces", async () => {
    const ids = ["nope", ticketIds[0] as string, ticketIds[0] as string];
    const restAnswer = await rest(`/events/${eventId}/holds`, { ticketIds: ids });
    expect(restAnswer.status).to.equal(400);
    expect(restAnswer.body.message).to.equal(
      "ticketIds: repeated value must contain unique items; ticketIds[0]: must be a valid UUID",
    );
    const connectAnswer = await connectErrorOf(rpc().holdTickets({ eventId, ticketIds: ids }));
    expect(connectAnswer.rawMessage).to.equal(restAnswer.body.message);
    const tooMany = await rest(`/events/${eventId}/holds`, {
      ticketIds: Array.from({ length: 9 }, randomUUID),
    });
    expect(tooMany.body.message).to.equal("ticketIds: must contain no more than 8 item(s)");
  });

  it("says which REST field has the wrong type without echoing its value", async () => {
    const month = await book({ ticketIds, paymentDetails: { ...card, expMonth: "soon" } });
    expect(month.status).to.equal(400);
    expect(month.body.message).to.equal("paymentDetails.expMonth: must be an integer");
    const number = await book({ ticketIds, paymentDetails: { ...card, cardNumber: 4242424242424242 } });
    expect(number.body.message).to.equal("paymentDetails.cardNumber: must be a string");
    const ids = await book({ ticketIds: "all", paymentDetails: card });
    expect(ids.body.message).to.equal("ticketIds: must be an array of strings");
    const payment = await book({ ticketIds, paymentDetails: "visa" });
    expect(payment.body.message).to.equal("paymentDetails: must be an object");
    expect((await book({ ticketIds })).body.message).to.equal("paymentDetails: value is required");
    expect((await book([1])).body.message).to.equal("the body must be a JSON object");
  });

  it("refuses unknown body fields on REST, as Connect's JSON does, naming them", async () => {
    const top = await book({ ticketIds, paymentDetails: card, coupon: "FREE" });
    expect(top.status).to.equal(400);
    expect(top.body.message).to.equal("coupon: unknown field; expected ticketIds, paymentDetails, holdId");
    const nested = await book({ ticketIds, paymentDetails: { ...card, zip: "12345" } });
    expect(nested.body.message).to.equal("paymentDetails.zip: unknown field");
    // The proto's own name for the field is not a REST name.
    const protoName = await book({ ticketIds, payment: card });
    expect(protoName.body.message).to.match(/^payment: unknown field/);
  });
});
