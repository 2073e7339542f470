import type { Logger } from "@zerobus/core";
import { silentLogger, toLogger, ZerobusError } from "@zerobus/core";
import { normalizeWorkspaceUrl } from "./workspace-url.js";

/** Options of {@link fromOAuthClientCredentials}. */
export interface OAuthClientCredentialsOptions {
  /** The workspace URL, e.g. `https://dbc-a1b2c3d4-e5f6.cloud.databricks.com`; the token endpoint is on it. */
  workspaceUrl: string;
  /** The service principal's OAuth client id (its application id). */
  clientId: string;
  /** The service principal's OAuth secret. Never logged, never put in an error. */
  clientSecret: string;
  /**
   * The workspace id for the token's `resource`; default: `HeadersContext.workspaceId` (the SDK's
   * `workspaceId` option, else the first label of the Zerobus endpoint host).
   */
  workspaceId?: string;
  /** Timeout of each token request in milliseconds (default 30 000). */
  timeoutMs?: number;
  /** Receives debug lines about token requests; never a secret. `console`, pino and bunyan loggers all keep their fields. */
  logger?: Logger;
  /** The clock, in milliseconds since the epoch (default `Date.now`); for tests. */
  now?: () => number;
}

/** Options after validation. */
export interface ResolvedOAuthOptions {
  workspaceOrigin: string;
  clientId: string;
  clientSecret: string;
  workspaceId: string | undefined;
  timeoutMs: number;
  logger: Logger;
  now: () => number;
}

/** Default of {@link OAuthClientCredentialsOptions.timeoutMs}. */
export const DEFAULT_TOKEN_TIMEOUT_MS = 30_000;

const knownOptions = new Set([
  "workspaceUrl",
  "clientId",
  "clientSecret",
  "workspaceId",
  "timeoutMs",
  "logger",
  "now",
]);
/** Workspace ids are numbers on the real service; loopback mocks use a host label. Either fits a URI path. */
const workspaceIdPattern = /^[A-Za-z0-9_-]+$/;

/** True when `value` can be the workspace id in the token's `resource`. */
export function isWorkspaceId(value: unknown): value is string {
  return typeof value === "string" && workspaceIdPattern.test(value);
}
/** Control characters: refused, as these values go into a header. */
const controlCharacter = /\p{Cc}/u;

/** Validates the options, naming the first thing that is wrong; never quotes the secret. */
export function resolveOAuthOptions(options: OAuthClientCredentialsOptions): ResolvedOAuthOptions {
  if (typeof options !== "object" || options === null) {
    throw invalid("options must be an object { workspaceUrl, clientId, clientSecret }");
  }
  for (const key of Object.keys(options)) {
    if (!knownOptions.has(key)) throw invalid(`unknown option "${key}"`);
  }
  const { clientId, clientSecret, workspaceId, timeoutMs = DEFAULT_TOKEN_TIMEOUT_MS, logger, now } = options;
  const workspaceOrigin = normalizeWorkspaceUrl(options.workspaceUrl);
  if (typeof clientId !== "string" || clientId.trim() === "") throw invalid("clientId is required");
  if (clientId.includes(":") || controlCharacter.test(clientId)) {
    throw invalid("clientId must not contain a colon or control characters");
  }
  if (typeof clientSecret !== "string" || clientSecret === "") throw invalid("clientSecret is required");
  if (controlCharacter.test(clientSecret)) throw invalid("clientSecret must not contain control characters");
  if (workspaceId !== undefined && !isWorkspaceId(workspaceId)) {
    throw invalid("workspaceId must be a non-empty string of letters, digits, '-' or '_'");
  }
  if (
    typeof timeoutMs !== "number" ||
    !Number.isInteger(timeoutMs) ||
    timeoutMs <= 0 ||
    timeoutMs > 2 ** 31 - 1
  ) {
    throw invalid("timeoutMs must be a positive integer number of milliseconds");
  }
  if (now !== undefined && typeof now !== "function")
    throw invalid("now must be a function returning milliseconds");
  return {
    workspaceOrigin,
    clientId,
    clientSecret,
    workspaceId,
    timeoutMs,
    // toLogger refuses what is not a logger and wraps pino and bunyan, which take (fields, message).
    logger: logger === undefined ? silentLogger : toLogger(logger, "logger of fromOAuthClientCredentials"),
    now: now ?? Date.now,
  };
}

function invalid(message: string): ZerobusError {
  return new ZerobusError("invalid_argument", `fromOAuthClientCredentials: ${message}`);
}
