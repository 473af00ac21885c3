/**
 * A real git repository with two products (testkit/monorepo.ts's manifest) and their history:
 * interleaved release tags and commits in both products' paths, dated from the CLI tests' clock.
 */
import { MONOREPO_MANIFEST } from "../../testkit/monorepo.js";
import type { GitRepo, TempRoot } from "./git-repo.js";

/** CODEOWNERS giving each product's paths to its team, and the rest to the platform team. */
export const MONOREPO_CODEOWNERS = `* @acme/platform
services/checkout/ @acme/payments
web/checkout/ @acme/payments
services/search/ @acme/discovery
`;

/**
 * Two products; tags interleaved: search-v0.9.0 (20 days ago), checkout-v0.9.0 (15),
 * search-v1.0.0 (12), checkout-v1.0.0 (3). After search-v1.0.0: checkout work (10, 3, 1 days
 * ago) and search work (4 and 2 days ago). `daysAgo` is the tests' clock.
 */
export function monorepo(
  tmp: TempRoot,
  daysAgo: (days: number) => Date,
  options: { manifest?: string; codeowners?: string; extra?: Record<string, string> } = {},
): GitRepo {
  const repo = tmp.repo();
  repo
    .write(".github/pom.yml", options.manifest ?? MONOREPO_MANIFEST)
    .write(".github/CODEOWNERS", options.codeowners ?? MONOREPO_CODEOWNERS)
    .write("services/checkout/pay.ts", "1")
    .write("web/checkout/page.tsx", "1")
    .write("services/search/index.ts", "1")
    .write("tools/build.sh", "1")
    .write("docs/readme.md", "1");
  for (const [path, text] of Object.entries(options.extra ?? {})) repo.write(path, text);
  repo.commit("start", daysAgo(30));
  const change = (path: string, days: number, tag?: string) => {
    repo.write(path, String(days)).commit(`change ${path} ${days}`, daysAgo(days));
    if (tag) repo.tag(tag);
  };
  change("services/search/index.ts", 20, "search-v0.9.0");
  change("services/checkout/pay.ts", 15, "checkout-v0.9.0");
  change("services/search/index.ts", 12, "search-v1.0.0");
  change("services/checkout/pay.ts", 10);
  change("services/search/index.ts", 4);
  change("web/checkout/page.tsx", 3, "checkout-v1.0.0");
  change("services/search/index.ts", 2);
  change("services/checkout/pay.ts", 1);
  return repo;
}
