import * as grpc from "@grpc/grpc-js";
import type { BackendConfig } from "@zerobus/core";
import type { ParsedEndpoint } from "@zerobus/core/internal";
import { extraCaCertificates, secureContextTrusting } from "./trusted-roots.js";
import { userAgent } from "./user-agent.js";

/**
 * The one grpc-js client (channel) of a backend, shared by all its streams over HTTP/2 (PROTOCOL.md B
 * §2.5). Proxy support is grpc-js's own (`grpc_proxy`, `https_proxy`, `http_proxy`, `no_grpc_proxy`,
 * `no_proxy`), left on: nothing here sets `grpc.enable_http_proxy`.
 */
export function createChannel(config: BackendConfig, endpoint: ParsedEndpoint): grpc.Client {
  const credentials = endpoint.secure ? secureCredentials(config) : grpc.credentials.createInsecure();
  const options: grpc.ChannelOptions = {
    "grpc.primary_user_agent": userAgent(config.applicationName),
    // Server messages are tiny, but mirror the reference core: no size limit either way.
    "grpc.max_receive_message_length": -1,
    "grpc.max_send_message_length": -1,
  };
  // No keepalive pings unless asked (A.12: servers may answer frequent pings with GOAWAY).
  if (config.keepaliveMs !== undefined) {
    options["grpc.keepalive_time_ms"] = config.keepaliveMs;
    options["grpc.keepalive_permit_without_calls"] = 1;
  }
  return new grpc.Client(endpoint.target, credentials, options);
}

/** TLS with Node's bundled roots, plus `NODE_EXTRA_CA_CERTS` and `tls.ca` when given. */
function secureCredentials(config: BackendConfig): grpc.ChannelCredentials {
  const extra = extraCaCertificates(config);
  return extra === null
    ? grpc.credentials.createSsl()
    : grpc.credentials.createFromSecureContext(secureContextTrusting(extra));
}
