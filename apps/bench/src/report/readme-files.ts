/** The bench's README and the results file its tables were generated from (both committed). */
export const README = new URL("../../README.md", import.meta.url);
export const README_RESULTS = new URL("../../readme-results.json", import.meta.url);
