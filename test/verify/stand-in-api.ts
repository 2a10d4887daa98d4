import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

/**
 * A loopback stand-in of the Devin API for verification tests: it answers the two probe
 * calls the way the vendor documents (401 for a bad token, 403 for a key that authenticated
 * but may not make the call, 404 for a path it does not know) and records every request.
 * It never prints anything, so it cannot leak a key into test output.
 */

export type Behaviour =
  /** 200 with a small JSON body. */
  | "live"
  /** 403: authenticated, lacking permission for this call. */
  | "forbidden"
  /** 429 with `Retry-After: 0` the first time, 200 afterwards. */
  | "rate-limited-once"
  /** 429 with a `Retry-After` of an hour, every time: the client must cap its wait. */
  | "rate-limited-long"
  /** 500 every time. */
  | "server-error"
  /** Never answers. */
  | "hang"
  /** 200 after 60 ms, to observe concurrency. */
  | "slow"
  /** 302 to another host: must not be followed. */
  | "redirect";

export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  /** The bearer token, when the header had the exact `Bearer <token>` form. */
  readonly token?: string;
}

export interface StandInApi {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** Most requests in flight at once. */
  readonly maxInFlight: () => number;
  close(): Promise<void>;
}

const PROBE_PATHS: Record<string, "cog_" | "apk_"> = {
  "/v3/self": "cog_",
  "/v1/sessions?limit=1": "apk_",
};

export async function startStandInApi(keys: ReadonlyMap<string, Behaviour>): Promise<StandInApi> {
  const requests: RecordedRequest[] = [];
  const seen = new Map<string, number>();
  const sockets = new Set<Socket>();
  let inFlight = 0;
  let maxInFlight = 0;

  const send = (res: ServerResponse, status: number, headers: Record<string, string> = {}): void => {
    res.writeHead(status, { "content-type": "application/json", ...headers });
    res.end(JSON.stringify(status < 300 ? { ok: true } : { detail: `status ${status}` }));
  };

  const server = createServer((req, res) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    res.on("close", () => inFlight--);
    const auth = req.headers.authorization ?? "";
    const m = /^Bearer (\S+)$/.exec(auth);
    const token = m?.[1];
    requests.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, ...(token !== undefined ? { token } : {}) });

    const family = PROBE_PATHS[req.url ?? ""];
    if (req.method !== "GET" || family === undefined) return send(res, 404);
    const behaviour = token !== undefined ? keys.get(token) : undefined;
    if (token === undefined || behaviour === undefined) return send(res, 401);
    // A key used with a version it cannot use is a 403 on the real API.
    if (!token.startsWith(family)) return send(res, 403);
    const count = (seen.get(token) ?? 0) + 1;
    seen.set(token, count);
    switch (behaviour) {
      case "live":
        return send(res, 200);
      case "forbidden":
        return send(res, 403);
      case "rate-limited-once":
        return count === 1 ? send(res, 429, { "retry-after": "0" }) : send(res, 200);
      case "rate-limited-long":
        return send(res, 429, { "retry-after": "3600" });
      case "server-error":
        return send(res, 500);
      case "hang":
        return;
      case "slow":
        setTimeout(() => send(res, 200), 60);
        return;
      case "redirect":
        return send(res, 302, { location: "https://elsewhere.invalid/v3/self" });
    }
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    maxInFlight: () => maxInFlight,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A loopback port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
