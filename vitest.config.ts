import { defineConfig } from "vitest/config";
import { zerobusProjects } from "./tooling/vitest/projects.js";

// One root config; each package is its own project with aliases to `src/` so unit tests need no build.
export default defineConfig({
  test: {
    projects: zerobusProjects(),
  },
});
