import { describe, expect, it } from "vitest";
import { parseCliArgs } from "./parse-cli-args.js";

describe("parseCliArgs", () => {
  it("defaults to an immediate-ack plaintext server on free ports", () => {
    expect(parseCliArgs([])).toEqual({
      help: false,
      json: false,
      verbose: false,
      options: { tls: false, acceptAnyToken: false, ackPolicy: "immediate", oauth: {} },
      admin: {},
    });
  });

  it("maps every option", () => {
    const config = parseCliArgs([
      "--host=127.0.0.2",
      "--port=5000",
      "--token-port=5001",
      "--tls",
      "--ack-every=4",
      "--accept-any-token",
      "--client-id=id",
      "--client-secret=secret",
      "--workspace-id=42",
      "--token-ttl=1.5",
      "--tables=tables.json",
      "--undeclared-tables=accept",
      "--admin-port=5002",
      "--admin-host=0.0.0.0",
      "--admin-allow-remote",
      "--json",
      "--verbose",
    ]);
    expect(config).toEqual({
      help: false,
      json: true,
      verbose: true,
      options: {
        host: "127.0.0.2",
        port: 5000,
        tokenPort: 5001,
        tls: true,
        acceptAnyToken: true,
        ackPolicy: { everyRecords: 4 },
        oauth: { clientId: "id", clientSecret: "secret", workspaceId: "42", tokenTtlSeconds: 1.5 },
        undeclaredTables: "accept",
      },
      admin: { port: 5002, host: "0.0.0.0", allowNonLoopback: true },
      tablesFile: "tables.json",
    });
  });

  it("turns the admin endpoint off with --no-admin", () => {
    expect(parseCliArgs(["--no-admin"]).admin).toBe(false);
  });

  it.each([
    [["--ack-policy", "delay", "--ack-delay", "50"], { delayMs: 50 }],
    [["--ack-policy", "coalesced"], "coalesced"],
    [["--ack-policy", "never"], "never"],
  ])("reads the ack policy from %j", (args, policy) => {
    expect(parseCliArgs(args).options.ackPolicy).toEqual(policy);
  });

  it.each([
    [["--port", "x"], "--port must be an integer ≥ 0"],
    [["--ack-every", "0"], "--ack-every must be an integer ≥ 1"],
    [["--token-ttl=-1"], "--token-ttl must be a positive number"],
    [["--bogus"], "Unknown option '--bogus'"],
    [["--admin-port=-1"], "--admin-port must be an integer ≥ 0"],
    [["--no-admin", "--admin-port", "1"], "--no-admin and --admin-port contradict each other; give one"],
    [["--undeclared-tables", "maybe"], '--undeclared-tables must be accept or refuse, got "maybe"'],
  ])("refuses %j", (args, message) => {
    expect(() => parseCliArgs(args)).toThrow(message);
  });
});
