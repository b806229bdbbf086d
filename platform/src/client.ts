import type { DescService } from "@bufbuild/protobuf";
import { type Client, createClient, type Interceptor } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";

/**
 * A client for one of our services at `baseUrl` (http://host:port), over one multiplexed HTTP/2
 * connection. It speaks the Connect protocol with binary protobuf: every service answers gRPC,
 * gRPC-Web and Connect on the same port, and for unary calls Connect needs no trailers — measured
 * on the booking path, 12–25 % more bookings per second than the same calls over gRPC.
 */
export function serviceClient<T extends DescService>(
  service: T,
  baseUrl: string,
  interceptors: Interceptor[] = [],
): Client<T> {
  const transport = createConnectTransport({
    baseUrl,
    httpVersion: "2",
    useBinaryFormat: true,
    interceptors,
    defaultTimeoutMs: 15_000,
    // Service-to-service traffic stays inside the cluster: gzip would cost CPU on both ends of
    // every large response (measured: a quarter of a catalog GetEvent round trip) to save bandwidth
    // nobody is short of.
    acceptCompression: [],
    pingIntervalMs: 10_000,
    idleConnectionTimeoutMs: 60_000,
  });
  return createClient(service, transport);
}
