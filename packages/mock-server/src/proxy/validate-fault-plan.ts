import type { FaultPlan } from "./fault-plan.js";

type Check = (value: unknown) => boolean;

const isCount: Check = (value) => Number.isSafeInteger(value) && Number(value) >= 0;
const isDuration: Check = (value) => typeof value === "number" && value >= 0 && Number.isFinite(value);
const isStallDuration: Check = (value) => typeof value === "number" && value >= 0;
const isRate: Check = (value) => typeof value === "number" && value > 0 && Number.isFinite(value);
const oneOf =
  (...allowed: string[]): Check =>
  (value) =>
    allowed.includes(value as string);
const counted = oneOf("up", "down", "either");
const shaped = oneOf("up", "down", "both");

/** Each fault's fields: the check, what the check means (for the message), and whether it is required. */
const FIELDS: Record<string, Record<string, [Check, string, "required"?]>> = {
  cut: {
    afterBytes: [isCount, "an integer ≥ 0", "required"],
    direction: [counted, '"up", "down" or "either"'],
    how: [oneOf("reset", "fin"), '"reset" or "fin"'],
  },
  stall: {
    ms: [isStallDuration, "a number ≥ 0 (Infinity: until resumeAll())", "required"],
    afterBytes: [isCount, "an integer ≥ 0"],
    direction: [counted, '"up", "down" or "either"'],
  },
  delay: {
    ms: [isDuration, "a finite number ≥ 0", "required"],
    direction: [shaped, '"up", "down" or "both"'],
  },
  throttle: {
    bytesPerSecond: [isRate, "a finite number > 0", "required"],
    direction: [shaped, '"up", "down" or "both"'],
  },
};

/**
 * Returns a frozen copy of a valid plan (the recording keeps it, so later edits by the caller change
 * nothing); throws a `TypeError` naming what is wrong otherwise.
 */
export function validateFaultPlan(plan: FaultPlan): FaultPlan {
  const problem = planProblem(plan);
  if (problem !== undefined) {
    throw new TypeError(`invalid fault plan ${describe(plan)}: ${problem}`);
  }
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(plan)) {
    if (value !== undefined) copy[key] = typeof value === "object" ? Object.freeze({ ...value }) : value;
  }
  return Object.freeze(copy) as FaultPlan;
}

function planProblem(plan: unknown): string | undefined {
  if (typeof plan !== "object" || plan === null || Array.isArray(plan)) return "a plan is an object";
  const entries = Object.entries(plan).filter(([, value]) => value !== undefined);
  for (const [key, value] of entries) {
    if (key === "refuse") {
      if (value !== true) return "refuse must be true";
      if (entries.length > 1) return "refuse cannot be combined with other faults";
      continue;
    }
    const fields = FIELDS[key];
    if (fields === undefined)
      return `unknown fault ${JSON.stringify(key)} (use refuse, ${Object.keys(FIELDS).join(", ")})`;
    const problem = faultProblem(key, value, fields);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

function faultProblem(
  fault: string,
  value: unknown,
  fields: Record<string, [Check, string, "required"?]>,
): string | undefined {
  if (typeof value !== "object" || value === null) return `${fault} must be an object`;
  for (const key of Object.keys(value)) {
    if (!(key in fields)) return `unknown field ${fault}.${key} (use ${Object.keys(fields).join(", ")})`;
  }
  for (const [key, [check, meaning, required]] of Object.entries(fields)) {
    const field = (value as Record<string, unknown>)[key];
    if (field === undefined && required === undefined) continue;
    if (!check(field)) return `${fault}.${key} must be ${meaning}`;
  }
  return undefined;
}

/** JSON, but showing what JSON cannot (`Infinity`, bigints, `undefined`) as the caller wrote it. */
function describe(plan: unknown): string {
  const shown = (_key: string, value: unknown) =>
    typeof value === "bigint" || value === Infinity ? String(value) : value;
  return JSON.stringify(plan, shown) ?? String(plan);
}
