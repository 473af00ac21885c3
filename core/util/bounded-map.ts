/** Bounded maps in insertion order: the newest entries are kept, the oldest dropped. */

/**
 * Sets `key` as the newest entry of `map`, then drops the oldest entries beyond `max`.
 *
 * @example setNewest(cache, "acme/checkout", entry, 5_000)
 */
export function setNewest<K, V>(map: Map<K, V>, key: K, value: V, max: number): void {
  map.delete(key);
  map.set(key, value);
  while (map.size > max) {
    const oldest = map.keys().next();
    if (oldest.done) break;
    map.delete(oldest.value);
  }
}
