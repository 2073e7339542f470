/**
 * Headers providers for credentials you already have: a fixed bearer token or fixed headers.
 *
 * @packageDocumentation
 */
export { fromHeaders } from "./from-headers.js";
export { fromToken } from "./from-token.js";
