/**
 * The ledgers of handled deliveries and written check runs in Redis, shared by replicas: a
 * delivery one replica handled is not handled again by another, and a check run one wrote is
 * edited, not duplicated, by the next. Should Redis fail, a ledger knows nothing (the work is done
 * again: a duplicate check run is harmless, GitHub shows the newest) and says so.
 */
import type { Redis } from "ioredis";
import { createSerialiser, inTurn, type Serialise } from "../../core/util/serial.js";
import type { CheckLedger, CheckRecord } from "../../github/publish/check-ledger.js";
import { DELIVERY_MEMORY_MS, type DeliveryLedger } from "../delivery-ledger.js";
import { assertReady } from "./connection.js";

type Warn = (fields: object, message: string) => void;

/** A check run is looked up for as long as its pull request is likely to get events. */
const CHECK_MEMORY_SECONDS = 30 * 24 * 60 * 60;

export class RedisDeliveryLedger implements DeliveryLedger {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly warn: Warn = () => {},
  ) {}

  async handled(id: string): Promise<boolean> {
    try {
      assertReady(this.redis);
      return (await this.redis.exists(`${this.prefix}:delivery:${id}`)) === 1;
    } catch (error) {
      this.warn({ err: error, delivery: id }, "redis: could not tell whether a delivery was handled");
      return false;
    }
  }

  async done(id: string): Promise<void> {
    try {
      assertReady(this.redis);
      await this.redis.set(`${this.prefix}:delivery:${id}`, "1", "PX", DELIVERY_MEMORY_MS);
    } catch (error) {
      this.warn({ err: error, delivery: id }, "redis: could not record a handled delivery");
    }
  }
}

export class RedisCheckLedger implements CheckLedger {
  readonly #serial: Serialise = createSerialiser();

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly across: Serialise,
    private readonly warn: Warn = () => {},
  ) {}

  private key(key: string): string {
    return `${this.prefix}:check:${key}`;
  }

  async get(key: string): Promise<CheckRecord | undefined> {
    try {
      assertReady(this.redis);
      const text = await this.redis.get(this.key(key));
      if (text === null) return undefined;
      const record = JSON.parse(text) as Partial<CheckRecord>;
      if (typeof record.id !== "number" || typeof record.output !== "string") return undefined;
      return record as CheckRecord;
    } catch (error) {
      this.warn({ err: error, key }, "redis: could not read a check run's record; it is written again");
      return undefined;
    }
  }

  async set(key: string, record: CheckRecord): Promise<void> {
    try {
      assertReady(this.redis);
      await this.redis.set(this.key(key), JSON.stringify(record), "EX", CHECK_MEMORY_SECONDS);
    } catch (error) {
      this.warn({ err: error, key }, "redis: could not record a check run");
    }
  }

  inTurn<T>(key: string, task: () => Promise<T>): Promise<T> {
    return inTurn(this.#serial, this.across, "check", key, task);
  }
}
