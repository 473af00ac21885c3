// Entry point of the GitHub Action: wiring only; see ./run.ts.
import { run } from "./run.js";

void run().then((code) => {
  process.exitCode = code;
});
