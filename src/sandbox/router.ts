/**
 * A small method + path router. Patterns are `/`-separated; a segment starting with `:` captures
 * one percent-decoded path segment. When several patterns match, the one with more literal
 * segments wins (so `/account/rate-limits` beats `/account/:x`). A trailing slash is ignored.
 */
export type Params = Readonly<Record<string, string>>;

interface Route<H> {
  readonly method: string;
  readonly pattern: string;
  readonly segments: readonly string[];
  readonly literals: number;
  readonly handler: H;
}

export type RouteMatch<H> =
  | { readonly kind: 'found'; readonly handler: H; readonly params: Params }
  | { readonly kind: 'wrong-method'; readonly allowed: readonly string[] }
  | { readonly kind: 'none' };

export class Router<H> {
  private readonly routes: Route<H>[] = [];

  add(method: string, pattern: string, handler: H): this {
    const segments = split(pattern);
    this.routes.push({
      method,
      pattern,
      segments,
      literals: segments.filter((s) => !s.startsWith(':')).length,
      handler,
    });
    return this;
  }

  /** Every registered route, in registration order (for coverage checks). */
  list(): { method: string; pattern: string }[] {
    return this.routes.map((r) => ({ method: r.method, pattern: r.pattern }));
  }

  match(method: string, rawPath: string): RouteMatch<H> {
    const segments = decodeSegments(split(rawPath));
    if (segments === undefined) return { kind: 'none' };
    // HEAD is answered by the GET route (node drops the body).
    const wanted = method === 'HEAD' ? 'GET' : method;
    let best: { route: Route<H>; params: Record<string, string> } | undefined;
    const allowed = new Set<string>();
    for (const route of this.routes) {
      const params = bind(route.segments, segments);
      if (params === undefined) continue;
      if (route.method !== wanted) {
        allowed.add(route.method);
        continue;
      }
      if (best === undefined || route.literals > best.route.literals) best = { route, params };
    }
    if (best !== undefined) return { kind: 'found', handler: best.route.handler, params: best.params };
    return allowed.size > 0 ? { kind: 'wrong-method', allowed: [...allowed].sort() } : { kind: 'none' };
  }
}

function split(path: string): string[] {
  return path.split('/').filter((s) => s !== '');
}

function decodeSegments(segments: string[]): string[] | undefined {
  try {
    return segments.map((s) => decodeURIComponent(s));
  } catch {
    return undefined;
  }
}

function bind(pattern: readonly string[], path: readonly string[]): Record<string, string> | undefined {
  if (pattern.length !== path.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i] as string;
    const v = path[i] as string;
    if (p.startsWith(':')) params[p.slice(1)] = v;
    else if (p !== v) return undefined;
  }
  return params;
}
