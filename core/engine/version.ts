/**
 * The engine's version: part of what a verdict depends on, so that a new release re-judges what an
 * older one judged. Kept equal to package.json's version by a test.
 */
export const ENGINE_VERSION = "0.1.0";
