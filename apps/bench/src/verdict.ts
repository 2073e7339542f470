/**
 * One target of issue #15 as measured in one run: what was compared, the ratio, the bound and the verdict.
 * Every workload reports its targets this way, so that the console, the results file and the README's
 * summary print them alike.
 */
export interface Verdict {
  /** `W1` … `W6`. */
  readonly id: string;
  /** What is compared, e.g. `200k singles: sdk-js / official (rec/s)`. */
  readonly what: string;
  /** The measured figure (a ratio, or a count for `= 0` targets); undefined when a client did not run. */
  readonly value: number | undefined;
  /** The bound, e.g. `≥ 10`, `≤ 1.5`, `= 0`. */
  readonly target: string;
  readonly verdict: "PASS" | "FAIL" | "not available";
}

function verdictOf(value: number | undefined, pass: (value: number) => boolean): Verdict["verdict"] {
  if (value === undefined || !Number.isFinite(value)) return "not available";
  return pass(value) ? "PASS" : "FAIL";
}

/** A target met when `value ≥ bound`. */
export function atLeast(id: string, what: string, value: number | undefined, bound: number): Verdict {
  return { id, what, value, target: `≥ ${bound}`, verdict: verdictOf(value, (v) => v >= bound) };
}

/** A target met when `value ≤ bound`. */
export function atMost(id: string, what: string, value: number | undefined, bound: number): Verdict {
  return { id, what, value, target: `≤ ${bound}`, verdict: verdictOf(value, (v) => v <= bound) };
}

/** A target met when `value` lies within `share` of 1 (e.g. within 10 % of idle). */
export function within(id: string, what: string, value: number | undefined, share: number): Verdict {
  return {
    id,
    what,
    value,
    target: `within ${share * 100} % of 1`,
    verdict: verdictOf(value, (v) => Math.abs(v - 1) <= share),
  };
}

/** A count that must be zero. */
export function none(id: string, what: string, count: number | undefined): Verdict {
  return { id, what, value: count, target: "= 0", verdict: verdictOf(count, (v) => v === 0) };
}

/**
 * The measured figure as tables show it: a count as it is, a ratio to two decimals, or three when two
 * would print the bound itself for a figure on the wrong side of it (1.195 against ≥ 1.2 is not "1.20").
 */
export function shownValue(verdict: Verdict): string {
  if (verdict.value === undefined) return "—";
  if (verdict.target === "= 0") return String(verdict.value);
  const two = verdict.value.toFixed(2);
  const bound = /[\d.]+$/.exec(verdict.target)?.[0];
  const digits = verdict.verdict === "FAIL" && bound !== undefined && Number(two) === Number(bound) ? 3 : 2;
  return `${verdict.value.toFixed(digits)}×`;
}

/** `W1 200k singles: sdk-js / official (rec/s) = 35.66× (target ≥ 10) PASS`. */
export function verdictLine(verdict: Verdict): string {
  return `${verdict.id} ${verdict.what} = ${shownValue(verdict)} (target ${verdict.target}) ${verdict.verdict}`;
}
