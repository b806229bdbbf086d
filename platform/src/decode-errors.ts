// A request body that does not decode is the caller's mistake: InvalidArgument with one line
// naming what was expected, on gRPC, gRPC-Web and Connect alike, at the edge and in every service.
//
// connect-node decodes a unary request before any interceptor runs, labels an undecodable binary
// body `internal` ("parse binary: …") and answers bad JSON with protobuf-es's message, which can
// quote the body (a card number). No router option sees that error; the call's abort does: every
// protocol's handler aborts the call's context with the error it is about to write, so the request
// gate wraps the context's `abort` and rewrites that error in place first. A streamed request
// decodes while the handler reads it, inside the interceptors, where the interceptor renames the
// error instead.
//
// The same wrapper gives the abort that ends every call a reason made once: handlers end each call
// with a bare `context.abort()`, and AbortController builds a DOMException (stack trace included)
// for a missing reason — one per RPC, ~1.5 % of inventory's CPU on the booking benchmark.
import type { DescMessage } from "@bufbuild/protobuf";
import {
  Code,
  ConnectError,
  createContextKey,
  type HandlerContext,
  type Interceptor,
} from "@connectrpc/connect";
import { jsonDecodeMessage } from "./validation.ts";

/** Set once the call reaches the interceptors: from then on the request has decoded. */
const decodedKey = createContextKey(false, { description: "request decoded" });

/**
 * The gate is handed the context the handler ends with `abort` (connect-es 2.x creates it with
 * createHandlerContext, whose type says so; HandlerContext's does not). A library that stops
 * doing so fails every call loudly here, never silently with decode errors left unrenamed.
 */
type Ended = HandlerContext & { abort(reason?: unknown): void };
const abortMissing =
  "the Connect handler context has no abort(): decode-errors.ts relies on connect-es 2.x ending calls with it";

/**
 * What a call's signal is aborted with when its handler ends it without a reason: what
 * AbortController would build each time (an AbortError DOMException, same message), built once.
 */
export const callEnded: DOMException = Object.freeze(
  new DOMException("This operation was aborted", "AbortError"),
);

/**
 * The request gate and the interceptor every Connect server installs (the interceptor first), so
 * that bodies that do not decode are answered InvalidArgument.
 */
export const decodeErrors: { requestGate(context: HandlerContext): void; interceptor: Interceptor } = {
  requestGate(gated) {
    const context = gated as Ended;
    const abort = context.abort;
    if (typeof abort !== "function") throw new Error(abortMissing);
    context.abort = (reason?: unknown) => {
      if (reason === undefined) return abort.call(context, callEnded);
      // Only the abort that ends the call counts (the signal's first), as for a listener on it.
      if (!context.signal.aborted && !context.values.get(decodedKey) && reason instanceof ConnectError) {
        const better = callerError(reason, context.method.input);
        if (better) {
          Object.assign(reason, {
            code: better.code,
            rawMessage: better.rawMessage,
            message: better.message,
          });
        }
      }
      abort.call(context, reason);
    };
  },

  interceptor: (next) => (req) => {
    req.contextValues.set(decodedKey, true);
    if (!req.stream) return next(req);
    return next({ ...req, message: renamed(req.message, req.method.input) });
  },
};

async function* renamed<T>(messages: AsyncIterable<T>, schema: DescMessage): AsyncIterable<T> {
  try {
    yield* messages;
  } catch (err) {
    throw (err instanceof ConnectError && callerError(err, schema)) || err;
  }
}

/** The InvalidArgument a decode error should have been, or undefined for any other error. */
function callerError(err: ConnectError, schema: DescMessage): ConnectError | undefined {
  if (err.code === Code.Internal && err.rawMessage.startsWith("parse binary: ")) {
    const reason = err.rawMessage.slice("parse binary: ".length);
    return new ConnectError(
      `the body is not a valid ${schema.typeName} in binary protobuf: ${reason}`,
      Code.InvalidArgument,
    );
  }
  if (err.code === Code.InvalidArgument && /^cannot decode (message|field) /.test(err.rawMessage)) {
    const syntax = causes(err).find((e) => e instanceof SyntaxError);
    return new ConnectError(
      syntax ? notJsonMessage(syntax) : jsonDecodeMessage(schema, err.rawMessage),
      Code.InvalidArgument,
    );
  }
  return undefined;
}

function causes(err: Error): Error[] {
  const chain: Error[] = [];
  for (let e: unknown = err.cause; e instanceof Error && chain.length < 8; e = e.cause) chain.push(e);
  return chain;
}

/**
 * The one wording for a body that is not JSON, REST and Connect alike: the parser's reason with
 * any excerpt of the body it quotes left out ("Unexpected token 'x', "…4242x" is not valid JSON").
 */
export function notJsonMessage(syntaxError: Error): string {
  const reason = syntaxError.message.replace(/, (\.\.\.)?".*"(\.\.\.)? is not valid JSON$/s, "");
  return `the body is not valid JSON: ${reason.charAt(0).toLowerCase()}${reason.slice(1)}`;
}
