import { expect } from "vitest";
import { zerobusMatchers } from "./zerobus-matchers.js";

// Registered on import, so the import that brings the fixture (or one line in a setup file) also brings
// the matchers its types declare: a test cannot type-check a matcher that was never registered.
expect.extend(zerobusMatchers);
