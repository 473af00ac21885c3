/** Work over many items with a bound on how many run at once. */

/**
 * Runs `task` over `items`, at most `limit` at a time, in order of `items`.
 *
 * @example await forEachLimited(repos, 4, (repo) => judge(repo))
 */
export async function forEachLimited<T>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await task(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
