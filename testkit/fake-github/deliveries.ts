/**
 * The fake GitHub's log of webhook deliveries, as a GitHub App's "Recent deliveries" holds them:
 * one entry per attempt (the first, and each redelivery, which keeps the GUID), served newest
 * first on `GET /app/hook/deliveries` (the app's JWT; at most 100 a page, paged by a cursor in the
 * `Link` header), and `POST /app/hook/deliveries/{delivery_id}/attempts`, which answers 202 and
 * then sends the delivery again through `onRedeliver` (set by testkit/hook-deliveries.ts), logging
 * that attempt's answer (the routes are in delivery-routes.ts). Like GitHub, nothing is redelivered unless asked, and a delivery older
 * than three days cannot be.
 *
 * @example
 * fake.state.deliveries.record({ event: "push", payload, statusCode: 502 }); // GitHub got a 502
 * fake.state.deliveries.onRedeliver = (d) => deliver(app.url, d.event, d.payload, { secret, id: d.guid }).then((r) => r.status);
 */
import { randomUUID } from "node:crypto";

/** GitHub keeps deliveries, and redelivers them, for three days. */
const WINDOW_MS = 3 * 24 * 60 * 60 * 1000;

/** One attempt, with the fields GitHub's `hook-delivery-item` has, plus what the fake needs to send it again. */
export interface FakeDelivery {
  id: number;
  guid: string;
  delivered_at: string;
  redelivery: boolean;
  duration: number;
  status: string;
  status_code: number;
  event: string;
  action: string | null;
  installation_id: number | null;
  repository_id: number | null;
  throttled_at: string | null;
  /** The app it was sent to. */
  appId: number;
  // biome-ignore lint/suspicious/noExplicitAny: webhook payloads are free-form JSON
  payload: Record<string, any>;
}

export interface DeliveryRecord {
  event: string;
  // biome-ignore lint/suspicious/noExplicitAny: webhook payloads are free-form JSON
  payload: Record<string, any>;
  /** The answer's status; 0 when there was none (a timeout, a refused connection). */
  statusCode: number;
  /** GitHub's words for it (default: "OK", "Invalid HTTP Response: 502", "failed to connect to host"). */
  status?: string;
  guid?: string;
  appId?: number;
  redelivery?: boolean;
  /** ISO time; default now. */
  deliveredAt?: string;
  durationMs?: number;
}

/** GitHub's description of an answer with `code`. */
export function statusText(code: number): string {
  if (code === 0) return "failed to connect to host";
  return code >= 200 && code < 300 ? "OK" : `Invalid HTTP Response: ${code}`;
}

export class FakeDeliveryLog {
  readonly #attempts: FakeDelivery[] = [];
  readonly #sending = new Set<Promise<unknown>>();
  #nextId = 1;
  /** Redeliveries asked for, in order: the delivery id named, and its GUID. */
  readonly requested: { id: number; guid: string; appId: number }[] = [];
  /** Sends a redelivery (same GUID) and gives the answer's status, 0 for none. Unset: nobody answers. */
  onRedeliver?: (delivery: FakeDelivery) => Promise<number>;

  /** Every attempt logged so far, oldest first. */
  get all(): readonly FakeDelivery[] {
    return this.#attempts;
  }

  /** Logs one attempt. */
  record(input: DeliveryRecord): FakeDelivery {
    const { payload } = input;
    const delivery: FakeDelivery = {
      id: this.#nextId++,
      guid: input.guid ?? randomUUID(),
      delivered_at: (input.deliveredAt ?? new Date().toISOString()).replace(/\.\d+Z$/, "Z"),
      redelivery: input.redelivery ?? false,
      duration: (input.durationMs ?? 30) / 1000,
      status: input.status ?? statusText(input.statusCode),
      status_code: input.statusCode,
      event: input.event,
      action: typeof payload.action === "string" ? payload.action : null,
      installation_id: typeof payload.installation?.id === "number" ? payload.installation.id : null,
      repository_id: typeof payload.repository?.id === "number" ? payload.repository.id : null,
      throttled_at: null,
      appId: input.appId ?? 1,
      payload,
    };
    this.#attempts.push(delivery);
    return delivery;
  }

  /**
   * A page of app `appId`'s attempts, newest first, from `cursor`, and the next page's cursor;
   * undefined for a cursor the fake did not give.
   */
  page(
    appId: number,
    perPage: number,
    cursor: string | null,
  ): { items: FakeDelivery[]; next?: string } | undefined {
    const before = cursor ? Number(/^v1_(\d+)$/.exec(cursor)?.[1] ?? Number.NaN) : Number.POSITIVE_INFINITY;
    if (Number.isNaN(before)) return undefined;
    const oldest = Date.now() - WINDOW_MS;
    const mine = this.#attempts
      .filter((d) => d.appId === appId && d.id < before && Date.parse(d.delivered_at) >= oldest)
      .sort((a, b) => b.id - a.id);
    const items = mine.slice(0, perPage);
    const last = items[items.length - 1];
    return mine.length > perPage && last ? { items, next: `v1_${last.id}` } : { items };
  }

  /** Asks for a redelivery of attempt `id`, sent later as GitHub does; or why it cannot be. */
  redeliver(appId: number, id: number): "accepted" | "missing" | "too old" {
    const delivery = this.#attempts.find((d) => d.id === id && d.appId === appId);
    if (!delivery) return "missing";
    if (Date.parse(delivery.delivered_at) < Date.now() - WINDOW_MS) return "too old";
    this.requested.push({ id, guid: delivery.guid, appId });
    const sending = (async () => {
      await new Promise((resolve) => setImmediate(resolve));
      const started = Date.now();
      const statusCode = this.onRedeliver ? await this.onRedeliver(delivery).catch(() => 0) : 0;
      this.record({
        event: delivery.event,
        payload: delivery.payload,
        statusCode,
        guid: delivery.guid,
        appId,
        redelivery: true,
        durationMs: Date.now() - started,
      });
    })();
    this.#sending.add(sending);
    void sending.finally(() => this.#sending.delete(sending));
    return "accepted";
  }

  /** Resolves once every redelivery asked for so far has been sent and logged. */
  async settled(): Promise<void> {
    while (this.#sending.size > 0) await Promise.all([...this.#sending]);
  }
}
