import { setTimeout as sleep } from "node:timers/promises";
import { ScriptCursor, type ScriptHandle } from "../script/script-cursor.js";
import { checkTokenRequest, type TokenHttpRequest, type TokenRequestError } from "./check-token-request.js";
import type { TokenStep } from "./token-step.js";
import { type IssuedToken, type TokenFilter, TokenStore } from "./token-store.js";

/** Options of the OAuth token endpoint. */
export interface TokenEndpointOptions {
  /** Client id the endpoint accepts (default `"zerobus-mock-client"`). */
  clientId?: string;
  /** Client secret the endpoint accepts (default `"zerobus-mock-secret"`). */
  clientSecret?: string;
  /** Require this workspace id in `resource`; by default any id is accepted (and recorded). */
  workspaceId?: string;
  /** Lifetime of issued tokens in seconds (default 3600); fractions allowed for fast expiry tests. */
  tokenTtlSeconds?: number;
}

/** Defaults of `TokenEndpointOptions`. */
export const DEFAULT_CLIENT_ID = "zerobus-mock-client";
/** The client secret accepted unless `clientSecret` is given. */
export const DEFAULT_CLIENT_SECRET = "zerobus-mock-secret";
/** Default token lifetime, seconds. */
export const DEFAULT_TOKEN_TTL_SECONDS = 3600;

/** One token request as recorded (never the client secret, never the token). */
export interface RecordedTokenRequest {
  receivedAt: number;
  /** The client id of the Basic credentials, when readable. */
  clientId: string | undefined;
  /** Form fields as sent. */
  form: Readonly<Record<string, string>>;
  /** The workspace id of `resource`, when valid. */
  workspaceId: string | undefined;
  /** The table of `authorization_details`, when valid. */
  table: string | undefined;
  /** The HTTP status answered. */
  status: number;
  /** The OAuth error answered, if any. */
  error: string | undefined;
  /** Whether a scripted step produced the answer. */
  scripted: boolean;
}

/** An HTTP answer, in the shape both the HTTP server and msw can send. */
export interface TokenHttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * The OAuth client-credentials token endpoint (`POST /oidc/v1/token`), independent of transport: the
 * HTTP server and the msw handlers both call `handle`. Tokens go to a `TokenStore` the gRPC server checks.
 */
export class TokenEndpoint {
  readonly store: TokenStore;
  readonly #requests: RecordedTokenRequest[] = [];
  readonly #rules: { clientId: string; clientSecret: string; workspaceId: string | undefined };
  readonly #ttlMs: number;
  #cursor = new ScriptCursor<TokenStep>([]);

  constructor(options: TokenEndpointOptions = {}, store = new TokenStore()) {
    this.store = store;
    this.#rules = {
      clientId: options.clientId ?? DEFAULT_CLIENT_ID,
      clientSecret: options.clientSecret ?? DEFAULT_CLIENT_SECRET,
      workspaceId: options.workspaceId,
    };
    this.#ttlMs = (options.tokenTtlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS) * 1000;
  }

  /** The client id this endpoint accepts. */
  get clientId(): string {
    return this.#rules.clientId;
  }

  /** Every request received, oldest first. */
  get requests(): readonly RecordedTokenRequest[] {
    return this.#requests;
  }

  /** Every token issued (by the endpoint or `issueToken`), oldest first. */
  get tokens(): readonly IssuedToken[] {
    return this.store.list();
  }

  /** Replaces the script of the endpoint's next answers. */
  script(steps: readonly TokenStep[]): ScriptHandle {
    this.#cursor = new ScriptCursor(steps);
    return this.#cursor;
  }

  /** Forgets the request log and the script (issued tokens stay valid). */
  reset(): void {
    this.#requests.length = 0;
    this.#cursor = new ScriptCursor<TokenStep>([]);
  }

  /** Issues a token without a request (for tests that bypass OAuth); `table` undefined grants any table. */
  issueToken(table?: string, options: { ttlSeconds?: number } = {}): IssuedToken {
    return this.store.issue(table, ttlMs(options.ttlSeconds, this.#ttlMs));
  }

  /** Revokes tokens (all by default); live connections using them end with UNAUTHENTICATED. */
  revokeTokens(filter?: TokenFilter): number {
    return this.store.revoke(filter);
  }

  /** Expires tokens now (all by default); live connections using them end with UNAUTHENTICATED. */
  expireTokens(filter?: TokenFilter): number {
    return this.store.expire(filter);
  }

  /** Answers one token request. */
  async handle(request: TokenHttpRequest): Promise<TokenHttpResponse> {
    const form = redacted(Object.fromEntries(new URLSearchParams(request.body)));
    const checked = checkTokenRequest(request, this.#rules);
    if ("problem" in checked) {
      this.#record({
        clientId: checked.clientId,
        form,
        status: checked.problem.status,
        error: checked.problem.error,
      });
      return oauthError(checked.problem);
    }
    const { grant } = checked;
    const step = this.#cursor.current;
    if (step) this.#cursor.advance();
    if (step?.delayMs) await sleep(step.delayMs);
    const entry = { clientId: grant.clientId, form, workspaceId: grant.workspaceId, table: grant.table };
    if (step && "error" in step) {
      this.#record({ ...entry, status: step.error.status, error: "scripted", scripted: true });
      const body = step.error.body ?? {
        error: "server_error",
        error_description: "injected by the mock server script",
      };
      return typeof body === "string"
        ? { status: step.error.status, headers: { "content-type": "text/plain" }, body }
        : json(step.error.status, body);
    }
    if (step && "malformedJson" in step) {
      this.#record({ ...entry, status: 200, scripted: true });
      return {
        status: 200,
        headers: { "content-type": "application/json" },
        body: '{"access_token": "trunc',
      };
    }
    const ttlSeconds = step && "token" in step ? step.token.expiresInSeconds : undefined;
    const issued = this.store.issue(grant.table, ttlMs(ttlSeconds, this.#ttlMs), grant.workspaceId);
    this.#record({ ...entry, status: 200, scripted: step !== undefined });
    const expiresIn = Math.max(0, Math.ceil((issued.expiresAt - issued.issuedAt) / 1000));
    const omit = step && "token" in step && step.token.omitAccessToken;
    return json(200, {
      ...(omit ? {} : { access_token: issued.token }),
      token_type: "Bearer",
      expires_in: expiresIn,
    });
  }

  #record(entry: Partial<RecordedTokenRequest> & Pick<RecordedTokenRequest, "form" | "status">): void {
    this.#requests.push({
      receivedAt: Date.now(),
      clientId: entry.clientId,
      form: entry.form,
      workspaceId: entry.workspaceId,
      table: entry.table,
      status: entry.status,
      error: entry.error,
      scripted: entry.scripted ?? false,
    });
  }
}

/** Keeps a secret sent in the wrong place (a `client_secret` form field, say) out of the request log. */
function redacted(form: Record<string, string>): Record<string, string> {
  for (const key of Object.keys(form)) if (/secret|password|token/i.test(key)) form[key] = "<redacted>";
  return form;
}

function ttlMs(seconds: number | undefined, fallbackMs: number): number {
  return seconds === undefined ? fallbackMs : seconds * 1000;
}

function json(status: number, body: unknown): TokenHttpResponse {
  return {
    status,
    headers: { "content-type": "application/json", "cache-control": "no-store" },
    body: JSON.stringify(body),
  };
}

function oauthError(problem: TokenRequestError): TokenHttpResponse {
  const response = json(problem.status, { error: problem.error, error_description: problem.description });
  if (problem.status === 401) response.headers["www-authenticate"] = 'Basic realm="zerobus-mock"';
  return response;
}
