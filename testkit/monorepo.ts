/** A manifest with two products and shared paths, as tests and the docs use it. */

export const MONOREPO_MANIFEST = `version: 1
products:
  - name: Checkout
    paths: ["services/checkout/**", "web/checkout/**"]
    team: { name: Payments, github: acme/payments, product_manager: alice, designer: bob, tech_lead: carol }
    release: { cadence: 14d, source: tags, tag_pattern: "checkout-v*" }
    outcomes: [{ id: CHK-12, title: Cut checkout abandonment to 55%, metric: abandonment, target: "55%" }]
  - name: Search
    paths: ["services/search/**"]
    team: { name: Discovery, github: acme/discovery, product_manager: dana, designer: erin, tech_lead: frank }
    release: { cadence: 7d, source: tags, tag_pattern: "search-v*" }
    outcomes:
      - { id: SRCH-3, title: Zero-result searches under 5%, metric: zero_results, target: "5%" }
      - { id: SRCH-4, title: Faster search, metric: p95_ms, target: 300, status: achieved }
shared:
  paths: ["tools/**", "docs/**"]
  team: { github: acme/platform }
`;
