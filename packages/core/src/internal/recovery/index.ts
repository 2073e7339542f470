export type { Dial } from "./connect-with-retries.js";
export { StreamRecovery } from "./stream-recovery.js";
