import { randomBytes } from "node:crypto";

/** A bearer token the mock issued. `token` is a secret: keep it out of logs and snapshots. */
export interface IssuedToken {
  readonly token: string;
  /** The table it grants (from `authorization_details`); `undefined` grants every table. */
  readonly table: string | undefined;
  /** The workspace id of the request's `resource`, if it came from the token endpoint. */
  readonly workspaceId: string | undefined;
  readonly issuedAt: number;
  /** `Date.now()` value from which the token is expired. */
  readonly expiresAt: number;
  readonly revoked: boolean;
}

/** Why a bearer token was refused. */
export type TokenRefusal = "missing" | "malformed" | "unknown" | "expired" | "revoked";

/** Which issued tokens `revoke`/`expire` act on: one token value, every token of a table, or all. */
export type TokenFilter = string | { table: string } | undefined;

interface MutableToken {
  token: string;
  table: string | undefined;
  workspaceId: string | undefined;
  issuedAt: number;
  expiresAt: number;
  revoked: boolean;
}

/** The tokens a mock server issued, with revocation and expiry that live connections listen to. */
export class TokenStore {
  readonly #tokens = new Map<string, MutableToken>();
  readonly #listeners = new Set<(tokens: readonly IssuedToken[]) => void>();

  /** Issues a token valid for `ttlMs` for one table (or every table when `table` is undefined). */
  issue(table: string | undefined, ttlMs: number, workspaceId?: string): IssuedToken {
    const now = Date.now();
    const token: MutableToken = {
      token: `zmock_${randomBytes(24).toString("base64url")}`,
      table,
      workspaceId,
      issuedAt: now,
      expiresAt: now + ttlMs,
      revoked: false,
    };
    this.#tokens.set(token.token, token);
    return token;
  }

  /** Every token issued, oldest first. */
  list(): readonly IssuedToken[] {
    return [...this.#tokens.values()];
  }

  /** Looks a token up and says why it is not usable, if it is not. */
  check(token: string): { token: IssuedToken } | { refusal: TokenRefusal } {
    const found = this.#tokens.get(token);
    if (!found) return { refusal: "unknown" };
    if (found.revoked) return { refusal: "revoked" };
    if (Date.now() >= found.expiresAt) return { refusal: "expired" };
    return { token: found };
  }

  /** Revokes matching tokens; live connections using them end with UNAUTHENTICATED. */
  revoke(filter?: TokenFilter): number {
    return this.#invalidate(filter, (token) => {
      token.revoked = true;
    });
  }

  /** Expires matching tokens now; live connections using them end with UNAUTHENTICATED. */
  expire(filter?: TokenFilter): number {
    const now = Date.now();
    return this.#invalidate(filter, (token) => {
      token.expiresAt = Math.min(token.expiresAt, now);
    });
  }

  /** Calls `listener` with the tokens each `revoke`/`expire` invalidated; returns the unsubscribe. */
  onInvalidate(listener: (tokens: readonly IssuedToken[]) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #invalidate(filter: TokenFilter, change: (token: MutableToken) => void): number {
    const matching = [...this.#tokens.values()].filter((token) =>
      filter === undefined
        ? true
        : typeof filter === "string"
          ? token.token === filter
          : token.table === filter.table,
    );
    for (const token of matching) change(token);
    for (const listener of [...this.#listeners]) listener(matching);
    return matching.length;
  }
}
