/** The path of the OAuth token endpoint under the workspace URL (PROTOCOL.md §3.1). */
export const TOKEN_PATH = "/oidc/v1/token";
