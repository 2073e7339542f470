import { createMockServer, GrpcStatusCode } from "@zerobus/mock-server";
import { ZerobusSdk } from "@zerobus/sdk";
import { expect, it } from "vitest";

it("delivers every click through a server that ends each connection after 64 KiB", async () => {
  const server = await createMockServer();
  // The js backend: native gets the progress guarantee (slow start after a cut) in a coming release.
  const sdk = new ZerobusSdk(server.endpoint, server.workspaceUrl, { allowInsecure: true, backend: "js" });
  try {
    // Every connection runs the script from its first step, so each gets the same budget.
    server.script("main.web.clicks", [{ fail: GrpcStatusCode.UNAVAILABLE, at: { bytes: 64 * 1024 } }], {
      scope: "connection",
    });
    const { clientId, clientSecret } = server.credentials;
    const stream = await sdk.createStream("main.web.clicks", clientId, clientSecret, {
      recoveryBackoffMs: 10,
    });
    const clicks = Array.from({ length: 5_000 }, (_, id) => ({ id, page: "/pricing" }));
    for (const click of clicks) await stream.ingestRecord(click);
    await stream.close();
    server.table("main.web.clicks").assertDelivered(clicks); // at least once, in order
    // The first request carried every click and crossed the budget; later connections started small.
    expect(stream.stats().connections).toBeGreaterThan(2);
  } finally {
    await sdk.close();
    await server.close();
  }
});
