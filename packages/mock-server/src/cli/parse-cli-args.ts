import { parseArgs } from "node:util";
import type { AdminEndpointOptions } from "../admin/start-admin-endpoint.js";
import type { MockServerOptions } from "../mock-server-options.js";
import type { AckPolicy } from "../script/ack-policy.js";

/** Usage text of `zerobus-mock`. */
export const USAGE = `Usage: zerobus-mock [options]

Runs a mock Zerobus server (gRPC) and its OAuth token endpoint (HTTP) until SIGINT/SIGTERM.

Options:
  --host <addr>           address to bind (default 127.0.0.1)
  --port <n>              gRPC port (default 0: any free port)
  --token-port <n>        OAuth token endpoint port (default 0: any free port)
  --tls                   serve gRPC over TLS with a generated CA (its PEM path is printed)
  --ack-policy <p>        immediate (default) | coalesced | never | delay | every
  --ack-delay <ms>        delay of each ack (implies --ack-policy delay)
  --ack-every <n>         ack once per n records (implies --ack-policy every)
  --accept-any-token      accept any Bearer token, not only tokens this server issued
  --client-id <id>        OAuth client id accepted (default zerobus-mock-client)
  --client-secret <s>     OAuth client secret accepted (default zerobus-mock-secret)
  --workspace-id <id>     require this workspace id in the token request's resource
  --token-ttl <seconds>   lifetime of issued tokens (default 3600)
  --tables <file.json>    declare tables at start, { "c.s.t": { "columns": { "col": "STRING" } } }
                          or { "c.s.t": { "descriptor": "<base64>" } }; other tables are then
                          refused with NOT_FOUND, as the service does
  --undeclared-tables <a> accept | refuse streams for undeclared tables (default: refuse with
                          --tables, else accept)
  --admin-port <n>        admin HTTP endpoint port (default 0: any free port; its URL is printed)
  --admin-host <addr>     admin endpoint address (default 127.0.0.1; loopback only, see below)
  --admin-allow-remote    let --admin-host be non-loopback (the endpoint has NO authentication)
  --no-admin              do not start the admin endpoint
  --json                  print one JSON line: endpoint, address, workspaceUrl, tokenUrl, clientId,
                          clientSecret (the mock's test credential), ca and caPath (TLS),
                          adminUrl, pid
  --verbose               log each stream created and ended to stderr
  -h, --help              show this help

The admin endpoint drives the running mock over HTTP with JSON (declare tables, script faults, read
records, reset); GET <adminUrl>/ lists its routes. It has no authentication: anyone who can reach it
controls the mock, so it listens on loopback only unless --admin-allow-remote.
`;

/** What the command line asks for. */
export interface CliConfig {
  help: boolean;
  json: boolean;
  verbose: boolean;
  options: MockServerOptions;
  /** Where the admin endpoint listens; `false` with `--no-admin`. */
  admin: AdminEndpointOptions | false;
  /** The `--tables` file to declare tables from. */
  tablesFile?: string;
}

/** Parses `zerobus-mock` arguments; throws a `TypeError` naming a bad option. */
export function parseCliArgs(args: readonly string[]): CliConfig {
  const { values } = parseArgs({
    args: [...args],
    strict: true,
    allowPositionals: false,
    options: {
      host: { type: "string" },
      port: { type: "string" },
      "token-port": { type: "string" },
      tls: { type: "boolean" },
      "ack-policy": { type: "string" },
      "ack-delay": { type: "string" },
      "ack-every": { type: "string" },
      "accept-any-token": { type: "boolean" },
      "client-id": { type: "string" },
      "client-secret": { type: "string" },
      "workspace-id": { type: "string" },
      "token-ttl": { type: "string" },
      tables: { type: "string" },
      "undeclared-tables": { type: "string" },
      "admin-port": { type: "string" },
      "admin-host": { type: "string" },
      "admin-allow-remote": { type: "boolean" },
      "no-admin": { type: "boolean" },
      json: { type: "boolean" },
      verbose: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  const options: MockServerOptions = {
    tls: values.tls ?? false,
    acceptAnyToken: values["accept-any-token"] ?? false,
    ackPolicy: ackPolicy(values["ack-policy"], values["ack-delay"], values["ack-every"]),
    oauth: {},
  };
  if (values.host !== undefined) options.host = values.host;
  if (values.port !== undefined) options.port = integer("--port", values.port, 0);
  if (values["token-port"] !== undefined)
    options.tokenPort = integer("--token-port", values["token-port"], 0);
  if (values["client-id"] !== undefined) options.oauth!.clientId = values["client-id"];
  if (values["client-secret"] !== undefined) options.oauth!.clientSecret = values["client-secret"];
  if (values["workspace-id"] !== undefined) options.oauth!.workspaceId = values["workspace-id"];
  if (values["token-ttl"] !== undefined)
    options.oauth!.tokenTtlSeconds = number("--token-ttl", values["token-ttl"]);
  const undeclared = values["undeclared-tables"];
  if (undeclared !== undefined) {
    if (undeclared !== "accept" && undeclared !== "refuse")
      throw new TypeError(`--undeclared-tables must be accept or refuse, got "${undeclared}"`);
    options.undeclaredTables = undeclared;
  }
  const config: CliConfig = {
    help: values.help ?? false,
    json: values.json ?? false,
    verbose: values.verbose ?? false,
    options,
    admin: adminOptions(values),
  };
  if (values.tables !== undefined) config.tablesFile = values.tables;
  return config;
}

function adminOptions(values: {
  "admin-port"?: string | undefined;
  "admin-host"?: string | undefined;
  "admin-allow-remote"?: boolean | undefined;
  "no-admin"?: boolean | undefined;
}): AdminEndpointOptions | false {
  if (values["no-admin"]) {
    const conflicting = ["admin-port", "admin-host", "admin-allow-remote"].find(
      (name) => values[name as keyof typeof values] !== undefined,
    );
    if (conflicting) throw new TypeError(`--no-admin and --${conflicting} contradict each other; give one`);
    return false;
  }
  const admin: AdminEndpointOptions = {};
  if (values["admin-port"] !== undefined) admin.port = integer("--admin-port", values["admin-port"], 0);
  if (values["admin-host"] !== undefined) admin.host = values["admin-host"];
  if (values["admin-allow-remote"]) admin.allowNonLoopback = true;
  return admin;
}

function ackPolicy(
  name: string | undefined,
  delay: string | undefined,
  every: string | undefined,
): AckPolicy {
  const policy = name ?? (delay !== undefined ? "delay" : every !== undefined ? "every" : "immediate");
  switch (policy) {
    case "immediate":
    case "coalesced":
    case "never":
      return policy;
    case "delay":
      return { delayMs: integer("--ack-delay", delay ?? "100", 0) };
    case "every":
      return { everyRecords: integer("--ack-every", every ?? "10", 1) };
    default:
      throw new TypeError(
        `--ack-policy must be immediate, coalesced, never, delay or every, got "${policy}"`,
      );
  }
}

function integer(option: string, text: string, min: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min)
    throw new TypeError(`${option} must be an integer ≥ ${min}, got "${text}"`);
  return value;
}

function number(option: string, text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0)
    throw new TypeError(`${option} must be a positive number, got "${text}"`);
  return value;
}
