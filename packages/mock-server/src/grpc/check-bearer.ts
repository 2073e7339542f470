import type { IssuedToken, TokenRefusal, TokenStore } from "../oauth/token-store.js";
import { GrpcStatusCode, type ResolvedStatus } from "../status.js";

const REFUSALS: Record<TokenRefusal, string> = {
  missing: "missing authorization header",
  malformed: 'authorization header must be "Bearer <token>"',
  unknown: "invalid access token",
  expired: "access token expired",
  revoked: "access token revoked",
};

/** The status a server ends a stream with when its token is refused. */
export function unauthenticated(refusal: TokenRefusal): ResolvedStatus {
  return { code: GrpcStatusCode.UNAUTHENTICATED, details: REFUSALS[refusal] };
}

/**
 * Checks an `authorization` header: `Bearer <token>` with a token this server issued, unrevoked and
 * unexpired — or, with `acceptAnyToken`, any non-empty bearer. Returns the token (`"any"` when any bearer
 * was accepted) or the UNAUTHENTICATED status.
 */
export function checkBearer(
  header: string | undefined,
  store: TokenStore,
  acceptAnyToken: boolean,
): { token: IssuedToken | "any" } | ResolvedStatus {
  if (header === undefined || header.trim() === "") return unauthenticated("missing");
  const bearer = /^Bearer\s+(\S+)$/i.exec(header.trim())?.[1];
  if (!bearer) return unauthenticated("malformed");
  if (acceptAnyToken) return { token: "any" };
  const checked = store.check(bearer);
  return "refusal" in checked ? unauthenticated(checked.refusal) : checked;
}
