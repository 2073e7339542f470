import type { CreateIngestStreamRequest } from "@zerobus/proto";
import type { IssuedToken } from "../oauth/token-store.js";
import { GrpcStatusCode, type ResolvedStatus } from "../status.js";
import { checkBearer } from "./check-bearer.js";
import { type CreatedStream, checkCreate, isStatus, TABLE_NAME_HEADER } from "./check-create.js";
import type { ServerContext } from "./server-context.js";

/** A create the server admits: the stream it establishes and the token that opened it. */
export interface AdmittedCreate {
  stream: CreatedStream;
  token: IssuedToken | "any";
}

/**
 * Everything a real server checks before it answers a create, in its order: the bearer token
 * (UNAUTHENTICATED), the request and its table header (INVALID_ARGUMENT), then that the token grants the
 * table (PERMISSION_DENIED). Returns the admitted create, or the status to end the stream with.
 */
export function admitCreate(
  create: CreateIngestStreamRequest,
  metadata: Readonly<Record<string, string>>,
  context: Pick<ServerContext, "tokens" | "acceptAnyToken" | "checks">,
): AdmittedCreate | ResolvedStatus {
  const auth = checkBearer(metadata.authorization, context.tokens, context.acceptAnyToken);
  if (isStatus(auth)) return auth;
  const stream = checkCreate(create, metadata[TABLE_NAME_HEADER], context.checks.tableHeader);
  if (isStatus(stream)) return stream;
  if (auth.token !== "any" && auth.token.table !== undefined && auth.token.table !== stream.table) {
    return {
      code: GrpcStatusCode.PERMISSION_DENIED,
      details: `the access token does not grant access to table ${stream.table}`,
    };
  }
  return { stream, token: auth.token };
}
