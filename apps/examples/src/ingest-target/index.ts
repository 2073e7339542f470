/**
 * Where the examples and the demo write: a real workspace named by the environment, else an embedded mock
 * server.
 *
 * @packageDocumentation
 */
export type { ExampleTarget, OpenTargetOptions } from "./example-target.js";
export { openTarget } from "./example-target.js";
export type { WorkspaceEnv } from "./workspace-env.js";
export { WORKSPACE_ENV, workspaceFromEnv } from "./workspace-env.js";
