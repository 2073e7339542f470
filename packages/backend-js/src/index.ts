/**
 * `@zerobus/backend-js`: the Zerobus connection layer in pure TypeScript on `@grpc/grpc-js`. Most users get
 * it through `@zerobus/sdk` (`backend: "js"`); use it directly to build on the `Backend` contract of
 * `@zerobus/core`.
 *
 * @packageDocumentation
 */
export { createBackend } from "./create-backend.js";
export { encodeCreateRequest } from "./create-request.js";
export { encodeIngestRequest } from "./request-encoder.js";
export { SDK_HEADER, SDK_HEADER_VALUE, VERSION } from "./version.js";
