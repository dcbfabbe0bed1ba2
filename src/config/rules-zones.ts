/**
 * Cloudflare rules across nodes: zone owners name environments, zone names are unique, WAF and
 * cache rule refs are unique per zone, and DNS names do not clash, counting the CNAME that every
 * environment domain inside a zone gets automatically.
 */
import type { MergedEnvironment } from './environments.js';
import { type Findings, items, str } from './findings.js';
import { canonicalHostname, isHostname, relativeRecordName, zoneOf } from './hostname.js';
import { suggestionHint } from './suggest.js';
import { entries, entry, type Path } from './tree.js';

interface DnsName {
  readonly name: string;
  readonly type: string;
  readonly content: string;
  /** Explicit records: where declared. Automatic CNAMEs: undefined. */
  readonly path: Path | undefined;
  readonly describe: string;
}

export function checkZones(root: unknown, environments: readonly MergedEnvironment[], findings: Findings): void {
  const zones = entries(entry(entry(root, 'cloudflare'), 'zones'));
  const names = environments.map((e) => e.name);
  const canonicalZones = zones.map(([zone]) => canonicalHostname(zone));
  const seen = new Set<string>();
  for (const [zone, body] of zones) {
    const path: Path = ['cloudflare', 'zones', zone];
    const canonical = canonicalHostname(zone);
    if (seen.has(canonical)) findings.error(path, `zone ${canonical} is declared twice`, { at: 'declaration' });
    seen.add(canonical);
    const owner = str(entry(body, 'owner'));
    if (owner !== undefined && owner !== '' && !names.includes(owner)) {
      const hint = suggestionHint(owner, names, 'declared environments');
      findings.error(
        [...path, 'owner'],
        `owner "${owner}" is not a declared environment`,
        hint === undefined ? {} : { hint },
      );
    }
    uniqueRefs(body, path, findings);
    dnsClashes(body, path, canonical, automaticCnames(environments, canonical, canonicalZones), findings);
  }
}

function uniqueRefs(zone: unknown, path: Path, findings: Findings): void {
  const refs = new Map<string, string>();
  for (const [section, kind] of [
    ['waf', 'custom'],
    ['waf', 'rate_limits'],
    ['cache', 'rules'],
  ] as const) {
    for (const [index, rule] of items(entry(entry(zone, section), kind))) {
      const ref = str(entry(rule, 'ref'));
      if (ref === undefined) continue;
      const where = `${section}.${kind}[${index}]`;
      const first = refs.get(ref);
      if (first !== undefined) {
        const what = section === 'waf' ? 'WAF rule' : 'cache rule';
        findings.error([...path, section, kind, index, 'ref'], `${what} ref "${ref}" is already used by ${first}`, {
          hint: 'refs identify rules from one run to the next: each must be unique in the zone',
        });
      } else refs.set(ref, where);
    }
  }
}

/** The CNAMEs daffeinated manages for environment domains that fall in `zone` (most specific zone wins). */
function automaticCnames(
  environments: readonly MergedEnvironment[],
  zone: string,
  zones: readonly string[],
): DnsName[] {
  const out: DnsName[] = [];
  for (const environment of environments) {
    for (const [, domain] of items(entry(environment.value, 'domains'))) {
      const host = str(domain);
      if (host === undefined || !isHostname(host, { wildcard: true })) continue;
      const canonical = canonicalHostname(host);
      if (zoneOf(canonical, zones) !== zone) continue;
      out.push({
        name: relativeRecordName(canonical, zone),
        type: 'CNAME',
        content: '',
        path: undefined,
        describe: `the automatic CNAME for ${canonical} (environment ${environment.name})`,
      });
    }
  }
  return out;
}

const DUPLICATE = 'is declared twice';

/** Types whose content is a hostname, compared in canonical form. */
const HOST_TYPES: readonly string[] = ['CNAME', 'MX', 'NS'];

/**
 * Per Cloudflare: a CNAME shares its name with no other record, except at the apex (flattened),
 * where only A, AAAA and other CNAMEs clash; an NS record (below the apex) shares its name with
 * no other type. The same record twice is also refused.
 */
function clash(a: DnsName, b: DnsName): string | undefined {
  if (a.name !== b.name) return undefined;
  if (a.type === b.type && a.content !== '' && a.content === b.content) return DUPLICATE;
  const apex = a.name === '@';
  const cnameClash = (x: DnsName, y: DnsName) =>
    x.type === 'CNAME' && (!apex || y.type === 'CNAME' || y.type === 'A' || y.type === 'AAAA');
  const nsClash = (x: DnsName, y: DnsName) => x.type === 'NS' && y.type !== 'NS' && !apex;
  return cnameClash(a, b) || cnameClash(b, a) || nsClash(a, b) || nsClash(b, a)
    ? `clashes with ${b.describe}`
    : undefined;
}

function dnsClashes(
  zone: unknown,
  path: Path,
  zoneName: string,
  automatic: readonly DnsName[],
  findings: Findings,
): void {
  // Records clash only with records of the same name: each is compared with those, in the order
  // they became known (the automatic CNAMEs first), and the first clash is reported.
  const known = new Map<string, DnsName[]>();
  const remember = (name: DnsName) => {
    const same = known.get(name.name);
    if (same === undefined) known.set(name.name, [name]);
    else same.push(name);
  };
  for (const name of automatic) remember(name);
  for (const [index, record] of items(entry(zone, 'dns'))) {
    const name = str(entry(record, 'name'));
    const type = str(entry(record, 'type'));
    const content = str(entry(record, 'content'));
    if (name === undefined || type === undefined || content === undefined) continue;
    const relative = relativeRecordName(name, zoneName);
    const recordPath: Path = [...path, 'dns', index];
    const mine: DnsName = {
      name: relative,
      type,
      content: HOST_TYPES.includes(type) ? canonicalHostname(content) : content,
      path: recordPath,
      describe: `the ${type} record "${relative}" at dns[${index}]`,
    };
    for (const other of known.get(relative) ?? []) {
      const problem = clash(mine, other);
      if (problem === undefined) continue;
      findings.error(recordPath, `${type} record "${relative}" ${problem}`, {
        at: 'declaration',
        hint:
          other.path === undefined
            ? 'environment domains inside a zone get a CNAME to Heroku: remove this record or the domain'
            : problem === DUPLICATE
              ? 'remove one of them'
              : 'a CNAME cannot share its name with other records (at the apex: with A, AAAA or CNAME)',
      });
      break;
    }
    remember(mine);
  }
}
