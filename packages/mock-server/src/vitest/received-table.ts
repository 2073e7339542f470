import type { TableRecording } from "../recording/table-recording.js";

/**
 * The table recording a matcher was given, or a `TypeError` saying what to pass instead. Checked by shape,
 * not `instanceof`: a test may get its recording from a second copy of this package (a workspace link next
 * to an installed tarball), whose class is a different object.
 */
export function receivedTable(matcher: string, received: unknown): TableRecording {
  if (
    typeof received === "object" &&
    received !== null &&
    typeof (received as TableRecording).name === "string" &&
    Array.isArray((received as TableRecording).records) &&
    Array.isArray((received as TableRecording).connections) &&
    typeof (received as TableRecording).recordCount === "number"
  ) {
    return received as TableRecording;
  }
  throw new TypeError(
    `${matcher} takes a table recording, as in expect(server.table("main.app.events")).${matcher}(…); received ${describe(received)}`,
  );
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (typeof value !== "object") return `a ${typeof value}`;
  return `an object with keys ${Object.keys(value).slice(0, 5).join(", ") || "(none)"}`;
}
