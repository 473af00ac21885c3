// Entry point of the GitHub Action: wiring only; see ./run.ts.
import { setFlagsFromString } from "node:v8";
import { run } from "./run.js";

// fetch reads GitHub's answers with undici's WebAssembly HTTP parser. After a few answers V8
// starts recompiling that parser with its optimising compiler on a background thread, and Node
// waits for the compilation before the process can exit: 40–100 ms of a run of a few requests
// (measured on Node 20 with `npm run bench`), for code the run no longer needs. Its baseline
// compiler's code is fast enough for a handful of answers.
setFlagsFromString("--liftoff-only");

void run().then((code) => {
  process.exitCode = code;
});
