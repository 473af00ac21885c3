/**
 * Preload (`NODE_OPTIONS=--import=<this file>`) that turns the app's file cache off, for the
 * "naive" baseline: the same app, but every manifest and org policy read is a fresh, rate-limited
 * REST request (no ETag, no 304, no remembered 404). The app's code is not changed: the cache's
 * lookup simply never finds anything.
 */
import { FileCache } from "../dist/github/transport/file-cache.js";

FileCache.prototype.get = () => undefined;
