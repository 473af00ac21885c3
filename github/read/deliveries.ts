/**
 * The app's webhook deliveries as GitHub logged them (`GET /app/hook/deliveries`, with the app's
 * JWT): one entry per attempt, newest first, 100 a page, the next page named by a cursor in the
 * `Link` header; and which deliveries failed for a reason another attempt may cure.
 *
 * An attempt's `status_code` is our server's answer, or 0 when there was none (GitHub gave up
 * after 10 s, or could not connect). A GUID (one event) has several attempts once redelivered.
 */
import type { GitHubClient } from "../transport/client.js";

/** One attempt, as the app needs it. */
export interface DeliveryAttempt {
  /** This attempt's id: the one a redelivery is asked for with. */
  id: number;
  /** The event's id, the same for every attempt (the `X-GitHub-Delivery` header). */
  guid: string;
  deliveredAt: string;
  redelivery: boolean;
  statusCode: number;
  event: string;
  action: string | null;
}

export interface DeliveryLog {
  attempts: DeliveryAttempt[];
  /** Pages read. */
  pages: number;
}

/** GitHub's most per page. */
const PAGE_SIZE = 100;

interface Item {
  id: number;
  guid: string;
  delivered_at: string;
  redelivery: boolean;
  status_code: number;
  event: string;
  action?: string | null;
}

/** The cursor of the `rel="next"` page in a `Link` header, if any. */
export function nextCursor(link: string | undefined): string | undefined {
  for (const part of (link ?? "").split(",")) {
    const [target, ...params] = part.split(";");
    if (!params.some((p) => /^\s*rel="?next"?\s*$/.test(p))) continue;
    const url = /<([^>]*)>/.exec(target ?? "")?.[1];
    if (!url) return undefined;
    return new URL(url, "https://api.github.com").searchParams.get("cursor") ?? undefined;
  }
  return undefined;
}

/**
 * The attempts logged since `since`, newest first: pages are read until one reaches back past
 * `since` (its oldest attempt is older) or there is no next page. The last page's older attempts
 * are kept: they tell what became of the same GUIDs.
 *
 * @example const { attempts, pages } = await readDeliveries(appClient, new Date(Date.now() - 3 * DAY))
 */
export async function readDeliveries(client: GitHubClient, since: Date): Promise<DeliveryLog> {
  const attempts: DeliveryAttempt[] = [];
  let cursor: string | undefined;
  let pages = 0;
  for (;;) {
    const { data, headers } = await client.request("GET /app/hook/deliveries", {
      per_page: PAGE_SIZE,
      ...(cursor ? { cursor } : {}),
    });
    pages++;
    const items = data as Item[];
    for (const item of items) attempts.push(toAttempt(item));
    const oldest = items[items.length - 1];
    cursor = nextCursor(headers.link);
    if (!cursor || !oldest || Date.parse(oldest.delivered_at) < since.getTime()) break;
  }
  return { attempts, pages };
}

function toAttempt(item: Item): DeliveryAttempt {
  return {
    id: item.id,
    guid: item.guid,
    deliveredAt: item.delivered_at,
    redelivery: item.redelivery,
    statusCode: item.status_code,
    event: item.event,
    action: item.action ?? null,
  };
}

/** Whether our server failed in passing: a 5xx, or no answer at all (a timeout, no connection). */
export function failedInPassing(attempt: DeliveryAttempt): boolean {
  return attempt.statusCode === 0 || (attempt.statusCode >= 500 && attempt.statusCode <= 599);
}

/** A delivery every attempt of which failed in passing. */
export interface FailedDelivery {
  guid: string;
  /** Its newest attempt: the one to redeliver. */
  newest: DeliveryAttempt;
  /** When its first attempt seen was made. */
  firstAt: string;
  attempts: number;
}

/**
 * The deliveries (by GUID) whose every attempt failed in passing, oldest first, leaving out those
 * whose newest attempt is older than `notBefore` (GitHub redelivers only within its window). A
 * GUID with an attempt that succeeded, or that was refused (4xx: a malformed or unverifiable
 * delivery stays refused), is left out.
 */
export function failedDeliveries(attempts: readonly DeliveryAttempt[], notBefore: Date): FailedDelivery[] {
  const byGuid = new Map<string, DeliveryAttempt[]>();
  for (const attempt of attempts) {
    const same = byGuid.get(attempt.guid);
    if (same) same.push(attempt);
    else byGuid.set(attempt.guid, [attempt]);
  }
  const failed: FailedDelivery[] = [];
  for (const [guid, all] of byGuid) {
    if (!all.every(failedInPassing)) continue;
    const sorted = [...all].sort(
      (a, b) => Date.parse(a.deliveredAt) - Date.parse(b.deliveredAt) || a.id - b.id,
    );
    const first = sorted[0];
    const newest = sorted[sorted.length - 1];
    if (!first || !newest || Date.parse(newest.deliveredAt) < notBefore.getTime()) continue;
    failed.push({ guid, newest, firstAt: first.deliveredAt, attempts: all.length });
  }
  return failed.sort((a, b) => Date.parse(a.firstAt) - Date.parse(b.firstAt));
}
