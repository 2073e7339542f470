import type { Backend, Connection, ConnectTarget } from "../../backend.js";
import type { HeadersContext, HeadersProvider } from "../../headers.js";
import { ZerobusError } from "../../zerobus-error.js";
import type { StreamObserver } from "../observe/stream-observer.js";
import type { Dial } from "../recovery/index.js";

/**
 * The dial of a core stream: one attempt of `backend` with the observer told of it (`attemptStarted`,
 * `attemptEnded`), and the headers provider wrapped so that each of its calls is timed (`headersFetched`:
 * a token fetch). The provider's answer and error reach the backend unchanged.
 */
export function observedDial(
  backend: Backend,
  target: ConnectTarget,
  observer: StreamObserver,
): Dial<Connection> {
  const timed: ConnectTarget = { ...target, headers: timedHeaders(target.headers, observer) };
  return async (reason, signal, attempt) => {
    observer.attemptStarted(reason, attempt);
    let connection: Connection;
    try {
      connection = await backend.connect(timed, { reason, signal });
    } catch (error) {
      observer.attemptEnded(reason, { error: ZerobusError.from(error) });
      throw error;
    }
    observer.attemptEnded(reason, { streamId: connection.streamId ?? "" });
    return connection;
  };
}

function timedHeaders(provider: HeadersProvider, observer: StreamObserver): HeadersProvider {
  return {
    async getHeaders(context: HeadersContext) {
      const started = performance.now();
      try {
        const headers = await provider.getHeaders(context);
        observer.headersFetched(context.reason, performance.now() - started);
        return headers;
      } catch (error) {
        observer.headersFetched(context.reason, performance.now() - started, ZerobusError.from(error));
        throw error;
      }
    },
  };
}
