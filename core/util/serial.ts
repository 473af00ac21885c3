/**
 * One piece of work at a time per key: work for the same key runs in arrival order, one after the
 * other; work for different keys runs side by side. A failure does not hold up what comes next.
 */
export type Serialise = <T>(key: string, task: () => Promise<T>) => Promise<T>;

export function createSerialiser(): Serialise {
  const tails = new Map<string, Promise<unknown>>();
  return <T>(key: string, task: () => Promise<T>): Promise<T> => {
    const previous = tails.get(key) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(task);
    tails.set(key, next);
    const forget = () => {
      if (tails.get(key) === next) tails.delete(key);
    };
    next.then(forget, forget);
    return next;
  };
}

/**
 * `task` in its turn: one at a time per key within the process (`local`), and across processes
 * too when `across` is given (it takes the key under `scope`).
 *
 * @example inTurn(oneAtATime, deps.across, "tracking", "acme/checkout", () => sync())
 */
export function inTurn<T>(
  local: Serialise,
  across: Serialise | undefined,
  scope: string,
  key: string,
  task: () => Promise<T>,
): Promise<T> {
  return local(key, () => (across ? across(`${scope}:${key}`, task) : task()));
}
