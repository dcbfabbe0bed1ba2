/**
 * An environment's `purge` against the zones: daffeinated purges only zones app.yaml declares (it
 * has their ids and its token their permissions), so every host and prefix must fall inside one,
 * and `everything` needs a domain of the environment inside one (those are the zones it empties).
 * Reads the merged, possibly invalid document defensively, like the other cross-node rules.
 */
import type { MergedEnvironment } from './environments.js';
import { type Findings, items, str } from './findings.js';
import { canonicalHostname, zoneOf } from './hostname.js';
import { entries, entry, isPlainMap, type Path } from './tree.js';

export function checkPurge(root: unknown, environments: readonly MergedEnvironment[], findings: Findings): void {
  const zones = entries(entry(entry(root, 'cloudflare'), 'zones')).map(([zone]) => canonicalHostname(zone));
  for (const environment of environments) {
    const purge = entry(environment.value, 'purge');
    if (!isPlainMap(purge)) continue;
    const path: Path = [...environment.path, 'purge'];
    const hosts = items(entry(purge, 'hosts'));
    const prefixes = items(entry(purge, 'prefixes'));
    if (purge['everything'] === true) {
      everything(environment, path, hosts.length + prefixes.length > 0, zones, findings);
      continue;
    }
    if (hosts.length === 0 && prefixes.length === 0 && purge['everything'] === undefined) {
      findings.error(path, `purge of environment ${environment.name} names nothing to purge`, {
        at: 'declaration',
        hint: 'list `hosts:` or `prefixes:`, or set `everything: true`; without `purge:` nothing is purged',
      });
    }
    for (const [kind, list] of [['hosts', hosts], ['prefixes', prefixes]] as const) {
      const seen = new Set<string>();
      for (const [index, item] of list) {
        const value = str(item);
        if (value === undefined) continue;
        const slash = value.indexOf('/');
        const host = canonicalHostname(slash < 0 ? value : value.slice(0, slash));
        const key = slash < 0 ? host : `${host}${value.slice(slash)}`;
        if (seen.has(key)) findings.error([...path, kind, index], `"${value}" is listed twice in purge.${kind}`);
        seen.add(key);
        if (zoneOf(host, zones) !== undefined) continue;
        findings.error([...path, kind, index], `purge ${kind === 'hosts' ? 'host' : 'prefix'} "${value}" is in no zone under cloudflare.zones`, {
          hint: `daffeinated purges only the zones it manages: declare ${host}'s zone under cloudflare.zones, or remove it from purge.${kind}`,
        });
      }
    }
  }
}

function everything(environment: MergedEnvironment, path: Path, withItems: boolean, zones: readonly string[], findings: Findings): void {
  if (withItems) {
    findings.error([...path, 'everything'], 'purge.everything cannot be combined with hosts or prefixes', {
      hint: 'everything already purges all of each zone: keep either `everything: true` or the lists',
    });
  }
  const domains = items(entry(environment.value, 'domains')).flatMap(([, d]) => (str(d) === undefined ? [] : [canonicalHostname(str(d) as string)]));
  if (domains.some((domain) => zoneOf(domain.replace(/^\*\./, ''), zones) !== undefined)) return;
  findings.error([...path, 'everything'], `purge.everything of environment ${environment.name} has no zone to purge: none of its domains is in a zone under cloudflare.zones`, {
    hint: 'add a domain inside a declared zone, or list the hosts to purge instead',
  });
}
