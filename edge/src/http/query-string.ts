// The query string, decoded strictly. Node's querystring turns a malformed escape (`%FF`, `%E0%A4%A`)
// into U+FFFD or leaves it as typed, so a search for it would quietly answer another question; a
// path with the same mistake is already a 400 (FST_ERR_BAD_URL), and so is this.
import type { FastifyInstance } from "fastify";
import { badRequest } from "./errors.ts";

/** On a parsed query with a malformed escape, where it was (a symbol: no route sees it as a parameter). */
const malformed = Symbol("malformed query string");

type Query = Record<string, string | string[]> & { [malformed]?: string };

/**
 * For Fastify's `routerOptions.querystringParser`: repeated names become arrays, as with
 * querystring. It runs inside the router, where a throw would crash the process, so a malformed
 * escape is only marked here and refused by `refuseMalformedQueries`.
 */
export function parseQueryString(text: string): Query {
  const query: Query = Object.create(null);
  for (const pair of text.split("&")) {
    if (pair === "") continue;
    const eq = pair.indexOf("=");
    const name = decode(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? "" : decode(pair.slice(eq + 1));
    if (name === undefined || value === undefined) {
      query[malformed] = name === undefined ? "a parameter name" : `the value of ${name.slice(0, 40)}`;
      continue;
    }
    const seen = query[name];
    query[name] = seen === undefined ? value : Array.isArray(seen) ? [...seen, value] : [seen, value];
  }
  return query;
}

/** Answers 400 for a query string `parseQueryString` marked, before any route runs. */
export function refuseMalformedQueries(app: FastifyInstance): void {
  app.addHook("onRequest", async (request) => {
    const where = (request.query as Query)[malformed];
    if (where !== undefined) throw badRequest(`the query string has a bad percent-encoding in ${where}`);
  });
}

function decode(part: string): string | undefined {
  try {
    return decodeURIComponent(part.replaceAll("+", " "));
  } catch {
    return undefined;
  }
}
