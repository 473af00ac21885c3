import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    // Set-ups that build dist/ or start servers take longer than the default 10 s on a busy machine.
    hookTimeout: 60_000,
    globalSetup: ["test/setup/redis.ts"],
  },
});
