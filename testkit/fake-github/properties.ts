/**
 * The fake's custom property routes: one repository's values, and every repository's of an
 * organization (which needs the installation's organization permission "Custom properties").
 */
import type { Urls } from "./json.js";
import { HttpError, installationOf, paginate, type Reply, type RestRequest, repoOf } from "./rest.js";
import type { FakeRepo, FakeState } from "./state.js";

type Route = (state: FakeState, urls: Urls, req: RestRequest) => Reply;

function valuesOf(repo: FakeRepo) {
  return [...repo.properties.entries()].map(([property_name, value]) => ({ property_name, value }));
}

const routes: Record<string, Route> = {
  "GET /repos/{owner}/{repo}/properties/values": (state, _urls, req) => ({
    status: 200,
    json: valuesOf(repoOf(state, req)),
  }),

  "GET /orgs/{org}/properties/values": (state, _urls, req) => {
    const org = (req.params.org ?? "").toLowerCase();
    const installation = state.installations.get(installationOf(req));
    if (installation?.account.toLowerCase() !== org) throw new HttpError(404, "Not Found");
    if (!installation.permissions.organization_custom_properties)
      throw new HttpError(403, "Resource not accessible by integration");
    const repos = state.installationRepos(installation.id).filter((r) => r.owner.toLowerCase() === org);
    return {
      status: 200,
      json: paginate(repos, req.query).map((r) => ({
        repository_id: r.id,
        repository_name: r.name,
        repository_full_name: r.fullName,
        properties: valuesOf(r),
      })),
    };
  },
};

/** The handler for a custom property operation, when it is one. */
export function propertyHandler(method: string, template: string): Route | undefined {
  return routes[`${method} ${template}`];
}
