import type { CreateIngestStreamRequest } from "@zerobus/proto";
import type { IssuedToken } from "../oauth/token-store.js";
import { checkRowDescriptor } from "../schema/check-row-descriptor.js";
import type { TableSchema } from "../schema/table-schema.js";
import { GrpcStatusCode, invalidArgument, type ResolvedStatus } from "../status.js";
import { checkBearer } from "./check-bearer.js";
import { type CreatedStream, checkCreate, isStatus, TABLE_NAME_HEADER } from "./check-create.js";
import type { ServerContext } from "./server-context.js";

/** A create the server admits: the stream it establishes and the token that opened it. */
export interface AdmittedCreate {
  stream: CreatedStream;
  token: IssuedToken | "any";
  /** The table's declared columns, which its records are checked against; undefined if not declared. */
  schema: TableSchema | undefined;
}

/**
 * Everything a real server checks before it answers a create, in its order: the bearer token
 * (UNAUTHENTICATED), the request and its table header (INVALID_ARGUMENT), that the table exists
 * (NOT_FOUND, when undeclared tables are refused: permissions are a table's, so a missing table is known
 * first), that the token grants the table (PERMISSION_DENIED), then that a PROTO stream's row type fits the
 * declared columns (INVALID_ARGUMENT). Returns the admitted create, or the status to end the stream with.
 */
export function admitCreate(
  create: CreateIngestStreamRequest,
  metadata: Readonly<Record<string, string>>,
  context: Pick<ServerContext, "tokens" | "acceptAnyToken" | "checks" | "declaredTables">,
): AdmittedCreate | ResolvedStatus {
  const auth = checkBearer(metadata.authorization, context.tokens, context.acceptAnyToken);
  if (isStatus(auth)) return auth;
  const stream = checkCreate(create, metadata[TABLE_NAME_HEADER], context.checks.tableHeader);
  if (isStatus(stream)) return stream;
  const schema = context.declaredTables.schemaOf(stream.table);
  if (!schema && context.declaredTables.undeclared === "refuse") return notDeclared(stream.table);
  if (auth.token !== "any" && auth.token.table !== undefined && auth.token.table !== stream.table) {
    return {
      code: GrpcStatusCode.PERMISSION_DENIED,
      details: `the access token does not grant access to table ${stream.table}`,
    };
  }
  if (schema && stream.row) {
    const problem = checkRowDescriptor(schema, stream.row.message);
    if (problem) return invalidArgument(problem);
  }
  return { stream, token: auth.token, schema };
}

/** NOT_FOUND, as the service answers for a table that does not exist, saying how to make it exist here. */
function notDeclared(table: string): ResolvedStatus {
  return {
    code: GrpcStatusCode.NOT_FOUND,
    details: `table ${table} not found: it was not declared to the mock server (declare it with the tables option or server.declareTable, or pass undeclaredTables: "accept")`,
  };
}
