/**
 * The fake GitHub's routes of an app's delivery log (see deliveries.ts): the list, newest first and
 * paged by the `Link` header's cursor, and the request for a redelivery. Both need the app's JWT.
 */
import type { Urls } from "./json.js";
import { HttpError, type Reply, type RestRequest } from "./rest.js";
import type { FakeState } from "./state.js";

type Route = (state: FakeState, urls: Urls, req: RestRequest) => Reply;

function appOf(req: RestRequest): number {
  if (req.auth.kind !== "app") throw new HttpError(401, "A JSON web token could not be decoded");
  return req.auth.appId;
}

const routes: Record<string, Route> = {
  "GET /app/hook/deliveries": (state, urls, req) => {
    const perPage = Math.min(Math.max(Number(req.query.get("per_page") ?? 30) || 30, 1), 100);
    const page = state.deliveries.page(appOf(req), perPage, req.query.get("cursor"));
    if (!page) throw new HttpError(400, "Invalid cursor");
    const { items, next } = page;
    const json = items.map(({ appId: _app, payload: _payload, ...item }) => item);
    if (!next) return { status: 200, json };
    const link = `<${urls.api}/app/hook/deliveries?per_page=${perPage}&cursor=${next}>; rel="next"`;
    return { status: 200, json, headers: { link } };
  },

  "POST /app/hook/deliveries/{delivery_id}/attempts": (state, _urls, req) => {
    const answer = state.deliveries.redeliver(appOf(req), Number(req.params.delivery_id));
    if (answer === "missing") throw new HttpError(404, "Not Found");
    if (answer === "too old")
      throw new HttpError(422, "Validation Failed", { errors: ["the delivery is too old to redeliver"] });
    return { status: 202, json: {} };
  },
};

/** The handler for a delivery-log operation ("GET /app/hook/deliveries"), when it is one. */
export function deliveryHandler(method: string, template: string): Route | undefined {
  return routes[`${method} ${template}`];
}
