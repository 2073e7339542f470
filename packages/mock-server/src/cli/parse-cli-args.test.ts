import { describe, expect, it } from "vitest";
import { parseCliArgs } from "./parse-cli-args.js";

describe("parseCliArgs", () => {
  it("defaults to an immediate-ack plaintext server on free ports", () => {
    expect(parseCliArgs([])).toEqual({
      help: false,
      json: false,
      verbose: false,
      options: { tls: false, acceptAnyToken: false, ackPolicy: "immediate", oauth: {} },
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
      },
    });
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
  ])("refuses %j", (args, message) => {
    expect(() => parseCliArgs(args)).toThrow(message);
  });
});
