/**
 * The pacer's window (github/transport/pace-window.ts) shared by replicas: per installation a
 * sorted set in Redis, one member per content-creating request let through in the last hour,
 * scored by when. A Lua script drops what is older than an hour, counts the last minute and the
 * last hour, and either adds the new member or answers how long until the oldest one in the way
 * leaves its window — in one step, so two replicas never both take the last slot. The time is
 * Redis's own (`TIME`), one clock for every replica, unless a clock is injected (tests, the
 * benchmark). The set expires an hour after its last admission.
 *
 * Should Redis fail, a replica paces on its own (the same limits, in its memory, knowing its own
 * admissions) rather than hold every creation: up to N times the rate for N replicas until Redis
 * is back, as the throttle does (throttle.ts).
 */
import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import {
  HOUR_MS,
  MemoryWindow,
  MINUTE_MS,
  type PaceLimits,
  type PaceWindow,
  type Reservation,
} from "../../github/transport/pace-window.js";

/** KEYS[1]: the log. ARGV: now in ms ("" for Redis's clock), per minute, per hour, a unique member, a minute, an hour. */
const RESERVE = `
local now = tonumber(ARGV[1])
if not now then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local perMinute, perHour = tonumber(ARGV[2]), tonumber(ARGV[3])
local minute, hour = tonumber(ARGV[5]), tonumber(ARGV[6])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - hour)
local n = redis.call('ZCARD', KEYS[1])
local inMinute = redis.call('ZCOUNT', KEYS[1], '(' .. (now - minute), '+inf')
local wait = 0
if n >= perHour then
  local first = redis.call('ZRANGE', KEYS[1], n - perHour, n - perHour, 'WITHSCORES')
  wait = math.max(wait, tonumber(first[2]) + hour - now)
end
if inMinute >= perMinute then
  local first = redis.call('ZRANGE', KEYS[1], n - perMinute, n - perMinute, 'WITHSCORES')
  wait = math.max(wait, tonumber(first[2]) + minute - now)
end
if wait > 0 then return {0, now, wait} end
redis.call('ZADD', KEYS[1], now, ARGV[4])
redis.call('PEXPIRE', KEYS[1], hour)
return {1, now, 0}
`;

type PacingRedis = Redis & {
  pomPaceReserve(key: string, ...args: (string | number)[]): Promise<[number, number, number]>;
};

export interface RedisWindowOptions {
  /** The clock, when not Redis's own (tests, the benchmark). */
  now?: () => number;
  /** Told when the window falls back to this replica's memory (true) and when Redis is back (false). */
  onFallback?: (local: boolean, error?: unknown) => void;
}

/**
 * @example const window = new RedisWindow(connect(settings, "pace"), settings.prefix, GITHUB_CREATE_LIMITS)
 */
export class RedisWindow implements PaceWindow {
  private readonly redis: PacingRedis;
  private readonly local: MemoryWindow;
  private readonly now: () => number;
  private usingLocal = false;

  constructor(
    redis: Redis,
    private readonly prefix: string,
    private readonly limits: PaceLimits,
    private readonly options: RedisWindowOptions = {},
  ) {
    if (!("pomPaceReserve" in redis))
      redis.defineCommand("pomPaceReserve", { numberOfKeys: 1, lua: RESERVE });
    this.redis = redis as PacingRedis;
    this.now = options.now ?? Date.now;
    this.local = new MemoryWindow(limits, this.now);
  }

  async reserve(key: string): Promise<Reservation> {
    try {
      if (this.redis.status === "end" || this.redis.status === "reconnecting")
        throw new Error(`redis is ${this.redis.status}`);
      const [admitted, at, waitMs] = await this.redis.pomPaceReserve(
        `${this.prefix}:pace:${key}`,
        this.options.now ? this.now() : "",
        this.limits.perMinute,
        this.limits.perHour,
        randomUUID(),
        MINUTE_MS,
        HOUR_MS,
      );
      this.fallBack(false);
      if (admitted !== 1) return { admitted: false, at, waitMs };
      // Remembered here too: should Redis go, this replica still knows what it let through.
      this.local.record(key, at);
      return { admitted: true, at };
    } catch (error) {
      this.fallBack(true, error);
      return this.local.reserveNow(key, this.now());
    }
  }

  private fallBack(local: boolean, error?: unknown): void {
    if (local === this.usingLocal) return;
    this.usingLocal = local;
    this.options.onFallback?.(local, error);
  }
}
