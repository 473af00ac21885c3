/**
 * One piece of work at a time per subject. GitHub sends `opened` and `labeled` for an issue
 * created with labels at the same moment; handled in parallel, both would find no sticky comment
 * and both would write one. Work for different subjects still runs in parallel.
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
