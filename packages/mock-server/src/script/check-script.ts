import { jsonReplacer } from "./script-cursor.js";
import { isEndingStep, type ScriptStep, type StepTrigger } from "./script-step.js";
import { TRIGGER_KEYS } from "./trigger-counts.js";

/**
 * Refuses, when a script is installed, a step whose timing could only be misread: a misspelt trigger key
 * would otherwise make the step run at once, and `after` with `at` has no single meaning.
 */
export function checkScript(steps: readonly ScriptStep[]): void {
  steps.forEach((step, index) => {
    const problem = timingProblem(step);
    if (problem !== undefined) {
      throw new TypeError(`script step ${index} ${JSON.stringify(step, jsonReplacer)}: ${problem}`);
    }
  });
}

function timingProblem(step: ScriptStep): string | undefined {
  const after = "after" in step ? step.after : undefined;
  const at = "at" in step ? step.at : undefined;
  if (at !== undefined && !isEndingStep(step)) return "only fail, end and drop steps take an `at` trigger";
  if (at !== undefined && after !== undefined) return "give `after` or `at`, not both";
  for (const trigger of [after, at]) {
    if (trigger === undefined) continue;
    if (typeof trigger !== "object" || trigger === null) return "a trigger is an object";
    for (const [key, value] of Object.entries(trigger)) {
      if (!TRIGGER_KEYS.includes(key as keyof StepTrigger)) {
        return `unknown trigger ${JSON.stringify(key)} (use ${TRIGGER_KEYS.join(", ")})`;
      }
      if (typeof value !== "number" || !(value >= 0)) return `${key} must be a number ≥ 0`;
    }
  }
  return undefined;
}
