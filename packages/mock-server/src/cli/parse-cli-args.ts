import { parseArgs } from "node:util";
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
  --json                  print the addresses as one JSON line instead of text
  --verbose               log each stream created and ended to stderr
  -h, --help              show this help
`;

/** What the command line asks for. */
export interface CliConfig {
  help: boolean;
  json: boolean;
  verbose: boolean;
  options: MockServerOptions;
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
  return {
    help: values.help ?? false,
    json: values.json ?? false,
    verbose: values.verbose ?? false,
    options,
  };
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
