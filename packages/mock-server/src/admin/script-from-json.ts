import { fromJson, type JsonValue } from "@bufbuild/protobuf";
import { EphemeralStreamResponseSchema } from "@zerobus/proto";
import { validateAckPolicy } from "../script/ack-policy.js";
import type { ScriptOptions, ScriptStep } from "../script/script-step.js";
import { badRequest } from "./admin-request-error.js";
import { statusFromJson } from "./status-from-json.js";

/** The kind keys of script steps (README "Scripts"); a step has exactly one. */
const STEP_KINDS = [
  "create",
  "failCreate",
  "acceptThenDrop",
  "fail",
  "end",
  "drop",
  "closeSignal",
  "ack",
  "lowerAck",
  "ackBeyondSent",
  "ackWithoutOffset",
  "secondCreateResponse",
  "unknownPayload",
  "send",
] as const;
type StepKind = (typeof STEP_KINDS)[number];
const MODIFIERS = ["after", "at", "delayMs"];

/**
 * Reads a script sent as JSON: an array of steps, or `{ "steps": [...], "scope": "table" | "connection" }`.
 * Steps are the README's, with what JSON cannot carry spelled out: statuses as codes, names or
 * `{ code, details }`; `closeSignal.seconds` as a number or a decimal string; `send` as
 * `{ "base64": "…" }` (raw response bytes) or `{ "response": {…} }` (an `EphemeralStreamResponse` in proto
 * JSON). Trigger checks are `server.script`'s; this only rejects what it cannot convert.
 */
export function scriptFromJson(body: unknown): { steps: ScriptStep[]; options: ScriptOptions } {
  if (Array.isArray(body)) return { steps: body.map(stepFromJson), options: {} };
  if (typeof body !== "object" || body === null || !Array.isArray((body as { steps?: unknown }).steps)) {
    throw badRequest('send the script as a JSON array of steps, or { "steps": [...], "scope": "table" }');
  }
  const { steps, scope, ...rest } = body as { steps: unknown[]; scope?: unknown };
  const extra = Object.keys(rest)[0];
  if (extra !== undefined)
    throw badRequest(`unknown key ${JSON.stringify(extra)} (a script has steps, scope)`);
  if (scope !== undefined && scope !== "table" && scope !== "connection") {
    throw badRequest(`scope must be "table" or "connection", got ${JSON.stringify(scope)}`);
  }
  return { steps: steps.map(stepFromJson), options: scope === undefined ? {} : { scope } };
}

function stepFromJson(value: unknown, index: number): ScriptStep {
  const where = `steps[${index}]`;
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw badRequest(
      `${where} must be an object such as { "fail": "UNAVAILABLE", "after": { "records": 1 } }`,
    );
  }
  const step = { ...(value as Record<string, unknown>) };
  const kinds = Object.keys(step).filter((key): key is StepKind =>
    (STEP_KINDS as readonly string[]).includes(key),
  );
  const unknown = Object.keys(step).find(
    (key) => !kinds.includes(key as StepKind) && !MODIFIERS.includes(key),
  );
  if (unknown !== undefined) {
    throw badRequest(`${where}: unknown key ${JSON.stringify(unknown)} (steps are ${STEP_KINDS.join(", ")})`);
  }
  if (kinds.length !== 1) {
    throw badRequest(`${where} must have exactly one of ${STEP_KINDS.join(", ")}; it has ${kinds.length}`);
  }
  const kind = kinds[0]!;
  step[kind] = convertKind(kind, step[kind], `${where}.${kind}`);
  return step as unknown as ScriptStep;
}

function convertKind(kind: StepKind, value: unknown, where: string): unknown {
  switch (kind) {
    case "fail":
    case "failCreate":
      return statusFromJson(value, where);
    case "acceptThenDrop":
      return value === true ? value : withStatus(value, "status", where);
    case "closeSignal":
      return closeSignalFromJson(value, where);
    case "ack":
      try {
        return validateAckPolicy(value as never);
      } catch (error) {
        throw badRequest(`${where}: ${(error as Error).message}`);
      }
    case "send":
      return sendFromJson(value, where);
    default:
      return value;
  }
}

function withStatus(value: unknown, key: string, where: string): unknown {
  if (typeof value !== "object" || value === null) throw badRequest(`${where} must be true or an object`);
  const record = { ...(value as Record<string, unknown>) };
  if (record[key] !== undefined && record[key] !== false) {
    record[key] = statusFromJson(record[key], `${where}.${key}`);
  }
  return record;
}

function closeSignalFromJson(value: unknown, where: string): unknown {
  const signal = withStatus(value, "thenEnd", where) as Record<string, unknown>;
  if (typeof signal.seconds === "string") {
    // Durations are int64 on the wire; a decimal string carries any of them through JSON.
    if (!/^\d+$/.test(signal.seconds)) {
      throw badRequest(
        `${where}.seconds must be a number or a decimal string, got ${JSON.stringify(signal.seconds)}`,
      );
    }
    signal.seconds = BigInt(signal.seconds);
  }
  return signal;
}

function sendFromJson(value: unknown, where: string): unknown {
  const send = value as { base64?: unknown; response?: unknown } | null;
  if (typeof send?.base64 === "string") return new Uint8Array(Buffer.from(send.base64, "base64"));
  if (typeof send?.response === "object" && send.response !== null) {
    try {
      return fromJson(EphemeralStreamResponseSchema, send.response as JsonValue);
    } catch (error) {
      throw badRequest(
        `${where}.response is not an EphemeralStreamResponse in proto JSON: ${(error as Error).message}`,
      );
    }
  }
  throw badRequest(`${where} must be { "base64": "<response bytes>" } or { "response": { …proto JSON… } }`);
}
