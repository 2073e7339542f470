import { createServer, type Socket } from "node:net";
import { ChangeWaiters } from "./change-waiters.js";
import { ConnectionLog } from "./connection-log.js";
import type { CutHow, FaultPlan } from "./fault-plan.js";
import type { FaultProxy, FaultProxyOptions } from "./fault-proxy.js";
import { ProxiedConnection } from "./proxied-connection.js";
import { parseProxyTarget } from "./proxy-target.js";
import { validateFaultPlan } from "./validate-fault-plan.js";

const REFUSE: FaultPlan = Object.freeze({ refuse: true });
const OPTION_KEYS = ["target", "host", "port", "defaultPlan"];

/**
 * Starts a TCP proxy in front of `options.target` that injects faults per connection: each accepted
 * connection takes the next queued plan (or the default) and is cut, stalled, delayed, throttled or refused
 * as it says. Everything it did is in `proxy.connections`.
 *
 * @example
 * ```ts
 * const server = await createMockServer();
 * const proxy = await createFaultProxy({ target: server.endpoint });
 * proxy.plan({ cut: { afterBytes: 64 * 1024, direction: "up" } }); // the first connection: RST after 64 KiB
 * // … point the code under test at proxy.endpoint instead of server.endpoint …
 * await proxy.close();
 * ```
 */
export async function createFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  checkOptions(options);
  const target = parseProxyTarget(options.target);
  const host = options.host ?? "127.0.0.1";
  const started = performance.now();
  const since = () => performance.now() - started;
  const waiters = new ChangeWaiters();
  const changed = () => waiters.notify();
  const queue: FaultPlan[] = [];
  const live = new Set<ProxiedConnection>();
  const refused = new Set<Socket>();
  const connections: ConnectionLog[] = [];
  let defaultPlan = validateFaultPlan(options.defaultPlan ?? {});
  let refusals = 0;
  let closing: Promise<void> | undefined;

  const nextPlan = (): FaultPlan => {
    if (refusals === 0) return queue.shift() ?? defaultPlan;
    refusals--;
    return REFUSE;
  };
  const accept = (client: Socket): void => {
    if (closing) {
      client.destroy();
      return;
    }
    const plan = nextPlan();
    const log = new ConnectionLog(connections.length, plan, since, changed);
    connections.push(log);
    log.add({ type: "opened" });
    if (plan.refuse) {
      refused.add(client);
      log.add({ type: "refused" });
      client.on("error", () => {});
      client.once("close", () => {
        refused.delete(client);
        log.add({ type: "closed", by: "proxy" });
      });
      client.resetAndDestroy();
      return;
    }
    const connection = new ProxiedConnection(client, target, log);
    live.add(connection);
    void connection.closed.then(() => live.delete(connection));
  };

  const server = createServer({ allowHalfOpen: true }, accept);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  const hostInUrl = host.includes(":") ? `[${host}]` : host;
  const open = () => [...live];

  const proxy: FaultProxy = {
    host,
    port,
    address: `${hostInUrl}:${port}`,
    endpoint: `${target.scheme}://${hostInUrl}:${port}`,
    connections,
    plan: (...plans) => {
      queue.push(...plans.map(validateFaultPlan));
    },
    refuseNext: (count) => {
      if (!Number.isSafeInteger(count) || count < 0) {
        throw new TypeError(`refuseNext: count must be an integer ≥ 0, got ${String(count)}`);
      }
      refusals += count;
    },
    setDefault: (plan) => {
      defaultPlan = validateFaultPlan(plan);
    },
    cutAll: ({ how = "reset" }: { how?: CutHow } = {}) => {
      if (how !== "reset" && how !== "fin") {
        throw new TypeError(`cutAll: how must be "reset" or "fin", got ${JSON.stringify(how)}`);
      }
      return open().filter((connection) => connection.cut(how, "either")).length;
    },
    stallAll: (ms) => {
      if (typeof ms !== "number" || !(ms >= 0)) {
        throw new TypeError(
          `stallAll: ms must be a number ≥ 0 (Infinity: until resumeAll()), got ${String(ms)}`,
        );
      }
      return open().filter((connection) => connection.stall(ms)).length;
    },
    resumeAll: () => open().filter((connection) => connection.resume()).length,
    waitFor: (predicate, { timeoutMs = 5000 } = {}) =>
      waiters.until(
        () => predicate(proxy),
        timeoutMs,
        () => `fault proxy: ${connections.length} connections, ${live.size} open`,
      ),
    close: () => {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        const closed = open().map((connection) => connection.closed);
        for (const connection of open()) connection.destroy();
        for (const client of refused) client.destroy();
        await Promise.all([stopped, ...closed]);
      })();
      return closing;
    },
    [Symbol.asyncDispose]: () => proxy.close(),
  };
  return proxy;
}

/** Misuse throws a `TypeError` naming the option; plans are checked by `validateFaultPlan`. */
function checkOptions(options: FaultProxyOptions): void {
  if (typeof options !== "object" || options === null) {
    throw new TypeError("createFaultProxy: options with a target are required");
  }
  const unknown = Object.keys(options).find((key) => !OPTION_KEYS.includes(key));
  if (unknown !== undefined) {
    throw new TypeError(
      `createFaultProxy: unknown option ${JSON.stringify(unknown)} (use ${OPTION_KEYS.join(", ")})`,
    );
  }
  if (options.host !== undefined && (typeof options.host !== "string" || options.host === "")) {
    throw new TypeError(
      `createFaultProxy: host must be a non-empty string, got ${JSON.stringify(options.host)}`,
    );
  }
  const port = options.port;
  if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port <= 65535)) {
    throw new TypeError(`createFaultProxy: port must be an integer from 0 to 65535, got ${String(port)}`);
  }
}
