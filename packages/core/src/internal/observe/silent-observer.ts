import type { StreamObserver } from "./stream-observer.js";

const ignore = (): void => {};

/** An observer that hears nothing: a stream made without one (unit tests of the engine, say). */
export const silentObserver: StreamObserver = {
  wantsAckLatency: false,
  wantsAccepted: false,
  attachStats: ignore,
  openStarted: ignore,
  openEnded: ignore,
  attemptStarted: ignore,
  attemptEnded: ignore,
  headersFetched: ignore,
  recoveryStarted: ignore,
  recoveryEnded: ignore,
  closeSignal: ignore,
  accepted: ignore,
  refused: ignore,
  acknowledged: ignore,
  resent: ignore,
  stateChanged: ignore,
  flushStarted: ignore,
  flushEnded: ignore,
  closeStarted: ignore,
  closeEnded: ignore,
  failed: ignore,
};
