// A request body that does not decode is the caller's mistake: InvalidArgument with one line
// naming what was expected, on gRPC, gRPC-Web and Connect alike, at the edge and in every service.
//
// connect-node decodes a unary request before any interceptor runs, labels an undecodable binary
// body `internal` ("parse binary: …") and answers bad JSON with protobuf-es's message, which can
// quote the body (a card number). No router option sees that error; the call's abort signal does:
// every protocol's handler aborts the call with the error it is about to write, so a listener
// installed by the request gate rewrites that error in place. A streamed request decodes while the
// handler reads it, inside the interceptors, where the interceptor renames the error instead.
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
 * The request gate and the interceptor every Connect server installs (the interceptor first), so
 * that bodies that do not decode are answered InvalidArgument.
 */
export const decodeErrors: { requestGate(context: HandlerContext): void; interceptor: Interceptor } = {
  requestGate(context) {
    const { signal } = context;
    signal.addEventListener(
      "abort",
      () => {
        if (context.values.get(decodedKey) || !(signal.reason instanceof ConnectError)) return;
        const better = callerError(signal.reason, context.method.input);
        if (better) {
          Object.assign(signal.reason, {
            code: better.code,
            rawMessage: better.rawMessage,
            message: better.message,
          });
        }
      },
      { once: true },
    );
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
