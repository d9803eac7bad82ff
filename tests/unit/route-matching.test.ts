// The route-matching patches (scripts/patches, docs/decisions/014-per-request-floor.md):
// Remix 2's router flattened and ranked every route, and compiled a RegExp per
// route pattern, on each of the three matches of every request. The patched router
// keeps both per routes array; these tests check that matching still picks the
// same routes and that the work is really done once (so a clone whose postinstall
// did not apply the patches fails here).
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";

const require = createRequire(import.meta.url);
type Route = { id: string; path?: string; index?: boolean; children?: Route[] };
type RouterModule = {
  matchRoutes(routes: Route[], location: string): { route: Route; params: Record<string, string> }[] | null;
  matchPath(pattern: { path: string; end?: boolean }, pathname: string): { params: Record<string, string> } | null;
};
const cjs = require("@remix-run/router") as RouterModule;
// @ts-expect-error -- the ESM build has no type declarations of its own
const esm = (await import("@remix-run/router/dist/router.js")) as RouterModule;

/** A route tree like Samsyn's (flat dot-routes under root), counting reads of each `path`. */
function countingRoutes() {
  let reads = 0;
  const route = (id: string, path?: string, index?: boolean): Route => {
    const r: Route = { id, index };
    Object.defineProperty(r, "path", { enumerable: true, get: () => (reads++, path) });
    return r;
  };
  const root = route("root", "");
  root.children = [
    route("routes/_index", undefined, true),
    route("routes/login", "login"),
    route("routes/councils.$slug._index", "councils/:slug"),
    route("routes/councils.$slug.plans.$year", "councils/:slug/plans/:year"),
    route("routes/councils.$slug.plans.$year_.dashboard", "councils/:slug/plans/:year/dashboard"),
    route("routes/councils.$slug.plans.compare", "councils/:slug/plans/compare"),
    route("routes/$", "*"),
  ];
  return { routes: [root], reads: () => reads };
}

describe.each([
  ["CommonJS (the server)", cjs],
  ["ESM (the browser bundle)", esm],
])("patched route matching, %s", (_name, router) => {
  const leaf = (routes: Route[], url: string) => router.matchRoutes(routes, url)?.at(-1);

  it("matches as the unpatched router ranks routes: static beats dynamic, splat last", () => {
    const { routes } = countingRoutes();
    for (let round = 0; round < 2; round++) {
      expect(leaf(routes, "/")?.route.id).toBe("routes/_index");
      expect(leaf(routes, "/login")?.route.id).toBe("routes/login");
      expect(leaf(routes, "/councils/skaraborg")?.params).toEqual({ slug: "skaraborg" });
      expect(leaf(routes, "/councils/skaraborg/plans/compare")?.route.id).toBe("routes/councils.$slug.plans.compare");
      expect(leaf(routes, "/councils/skaraborg/plans/2026")?.params).toEqual({ slug: "skaraborg", year: "2026" });
      expect(leaf(routes, "/councils/skaraborg/plans/2026/dashboard")?.route.id).toBe("routes/councils.$slug.plans.$year_.dashboard");
      expect(leaf(routes, "/no/such/page")?.params).toEqual({ "*": "no/such/page" });
    }
  });

  it("gives fresh, equal matches for a repeated path, and no match where none fits", () => {
    const { routes } = countingRoutes();
    const first = router.matchRoutes(routes, "/councils/a/plans/2026");
    const again = router.matchRoutes(routes, "/councils/a/plans/2026");
    expect(again).toEqual(first);
    expect(again).not.toBe(first);
    expect(again![1].params).not.toBe(first![1].params);
    const noSplat = countingRoutes().routes;
    noSplat[0].children = noSplat[0].children!.filter((r) => r.id !== "routes/$");
    expect(router.matchRoutes(noSplat, "/no/such/page")).toBeNull();
    expect(router.matchRoutes(noSplat, "/no/such/page")).toBeNull();
    expect(leaf(noSplat, "/login")?.route.id).toBe("routes/login");
  });

  it("flattens and ranks a routes array once, not per match", () => {
    const { routes, reads } = countingRoutes();
    router.matchRoutes(routes, "/login");
    const afterFirst = reads();
    expect(afterFirst).toBeGreaterThan(0);
    for (let i = 0; i < 20; i++) router.matchRoutes(routes, i % 2 ? "/login" : "/councils/x/plans/2026");
    expect(reads()).toBe(afterFirst);
    // A new array (a rebuilt route tree) is flattened afresh.
    const other = countingRoutes();
    router.matchRoutes(other.routes, "/login");
    expect(other.reads()).toBeGreaterThan(0);
  });

  it("reuses compiled patterns without mixing up their options", () => {
    expect(router.matchPath({ path: "/councils/:slug", end: true }, "/councils/a/plans")).toBeNull();
    expect(router.matchPath({ path: "/councils/:slug", end: false }, "/councils/a/plans")?.params).toEqual({ slug: "a" });
    expect(router.matchPath({ path: "/councils/:slug", end: true }, "/councils/b")?.params).toEqual({ slug: "b" });
  });
});

describe("patched static router (react-router-dom/server)", () => {
  it("makes the data routes of a routes array once", async () => {
    const { createStaticRouter } = require("react-router-dom/server") as typeof import("react-router-dom/server");
    const routes = [{ id: "root", path: "/", children: [{ id: "child", path: "a" }] }];
    const context = { basename: "/", location: { pathname: "/a", search: "", hash: "", state: null, key: "default" }, matches: [], loaderData: {}, actionData: null, errors: null, statusCode: 200, loaderHeaders: {}, actionHeaders: {}, activeDeferreds: null };
    const a = createStaticRouter(routes, context as never);
    const b = createStaticRouter(routes, context as never);
    expect(b.routes).toBe(a.routes);
    expect(createStaticRouter([...routes], context as never).routes).not.toBe(a.routes);
  });
});
