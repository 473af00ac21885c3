/**
 * Webhook deliveries larger than GitHub ever sends are refused before their body is read.
 *
 * The signature covers the body, so a delivery must be read whole before it can be verified, and
 * nothing else sets a size limit. Without one, anybody who can reach the server could make it hold
 * gigabytes. GitHub caps a payload at 25 MB and always sends a Content-Length, so a delivery is
 * refused with
 * - 413 when its Content-Length is over 25 MiB, and
 * - 411 when it has no Content-Length but a body (chunked), whose size nobody could know in advance.
 * delivery-intake.ts asks this before it reads a body.
 */
import type { IncomingMessage } from "node:http";

/** GitHub's cap on a webhook payload (25 MB), in bytes. */
export const MAX_DELIVERY_BYTES = 25 * 1024 * 1024;

export interface Refusal {
  status: 411 | 413;
  error: string;
}

/** Why `req` must be refused before its body is read, or undefined when it may be read. */
export function refusalOf(req: IncomingMessage, maxBytes = MAX_DELIVERY_BYTES): Refusal | undefined {
  const length = req.headers["content-length"];
  if (length === undefined) {
    if (req.headers["transfer-encoding"] === undefined) return undefined;
    return { status: 411, error: "a webhook delivery must have a Content-Length header" };
  }
  // Node refuses a malformed Content-Length itself (400) before any listener sees the request.
  if (Number(length) <= maxBytes) return undefined;
  return {
    status: 413,
    error: `a webhook delivery may be at most ${maxBytes} bytes; this one has ${length}`,
  };
}
