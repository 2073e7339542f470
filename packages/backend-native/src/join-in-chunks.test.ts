import { expect, it } from "vitest";
import { joinInChunks } from "./join-in-chunks.js";

const bytes = (record: string) => Buffer.byteLength(record);

it("joins consecutive records up to the chunk size, a longer record on its own", () => {
  const records = ["aa", "bb", "cc", "dddddddd", "é", "", "f"];
  const chunks = joinInChunks(records, records.map(bytes), 5);
  expect(chunks).toEqual(["aabb", "cc", "dddddddd", "éf"]);
  expect(chunks.join("")).toBe(records.join(""));
});

it("passes a lone record as it is, and every record when they all fit", () => {
  expect(joinInChunks(["x".repeat(100)], [100], 10)).toEqual(["x".repeat(100)]);
  expect(joinInChunks(["a", "b", "c"], [1, 1, 1], 3)).toEqual(["abc"]);
  expect(joinInChunks(["", ""], [0, 0], 3)).toEqual([""]);
});
