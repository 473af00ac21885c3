/** Settings read from an environment-like record (the runtimes pass `process.env`). */

/**
 * The whole number `name` holds, at least `min`; undefined when unset or blank. Anything else is
 * refused with the setting's name, so that a mistyped value stops start-up instead of being
 * ignored.
 *
 * @example wholeSetting({ POM_JOB_ATTEMPTS: "3" }, "POM_JOB_ATTEMPTS", 1) // 3
 */
export function wholeSetting(
  env: Record<string, string | undefined>,
  name: string,
  min: number,
): number | undefined {
  const text = env[name]?.trim();
  if (!text) return undefined;
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min)
    throw new Error(`${name} must be a whole number${min > 0 ? ` of at least ${min}` : ""}; got "${text}"`);
  return value;
}
