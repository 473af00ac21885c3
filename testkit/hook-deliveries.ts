/**
 * Webhook deliveries as GitHub makes them, with its log: each one signed and sent to the app
 * (webhooks.ts), and its answer logged in the fake GitHub's delivery log (fake-github/deliveries.ts),
 * where a 5xx or no answer at all is a failed delivery the app can find on
 * `GET /app/hook/deliveries`. A redelivery the app asks for is sent again the same way, with the
 * same GUID, to the app (or to the next of several replicas).
 *
 * @example
 * const github = hookDeliveries(fake, () => app.url, { secret: SECRET });
 * const first = await github.send("pull_request", payload); // logged with its answer
 */
import { randomUUID } from "node:crypto";
import type { FakeGitHub } from "./fake-github/server.js";
import { type Delivery, deliver, type Payload } from "./webhooks.js";

export interface HookDeliveries {
  /** Sends a delivery (a new GUID unless `id` is given) and logs its answer at the fake. */
  send(event: string, payload: Payload, options?: { id?: string }): Promise<Delivery>;
}

/**
 * Delivers to `target()` (called for each delivery, so that replicas can take turns) as app `appId`
 * (default 1), and makes the fake send the redeliveries it is asked for the same way.
 */
export function hookDeliveries(
  fake: FakeGitHub,
  target: () => string,
  options: { secret: string; appId?: number },
): HookDeliveries {
  const appId = options.appId ?? 1;
  const attempt = async (event: string, payload: Payload, id: string): Promise<Delivery> => {
    try {
      return await deliver(target(), event, payload, { secret: options.secret, id });
    } catch (error) {
      // No answer (the app is down, the connection was cut): GitHub logs status 0.
      return { id, status: 0, text: String(error), ms: 0 };
    }
  };
  fake.state.deliveries.onRedeliver = async (delivery) =>
    (await attempt(delivery.event, delivery.payload, delivery.guid)).status;
  return {
    send: async (event, payload, sendOptions = {}) => {
      const delivery = await attempt(event, payload, sendOptions.id ?? randomUUID());
      fake.state.deliveries.record({
        event,
        payload,
        statusCode: delivery.status,
        guid: delivery.id,
        appId,
        redelivery: sendOptions.id !== undefined,
        durationMs: delivery.ms,
      });
      return delivery;
    },
  };
}
