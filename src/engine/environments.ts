import type { ConfigVarSpec, EnvironmentConfig } from '../model/config.js';
import { isSecretName } from '../model/sensitive.js';
import { compareStrings } from './collections.js';
import type { Aspect, EnvironmentDifference } from './types.js';

/**
 * The differences that make `right` not a faithful copy of `left`: config keys, formation,
 * add-on plans, features, buildpacks, region, stack. App names, stages and domains are expected to
 * differ and are not compared. Sorted by aspect then key.
 */
export function compareEnvironments(left: EnvironmentConfig, right: EnvironmentConfig): EnvironmentDifference[] {
  const out: EnvironmentDifference[] = [];
  const add = (aspect: Aspect, key: string, path: string, l: string | undefined, r: string | undefined, differs = l !== r) => {
    if (!differs) return;
    const leftSource = left.sources[path];
    const rightSource = right.sources[path];
    out.push({
      aspect,
      key,
      ...(l === undefined ? {} : { left: l }),
      ...(r === undefined ? {} : { right: r }),
      ...(leftSource === undefined ? {} : { leftSource }),
      ...(rightSource === undefined ? {} : { rightSource }),
    });
  };
  add('region', 'region', 'region', left.region, right.region);
  add('stack', 'stack', 'stack', left.stack, right.stack);
  add('maintenance', 'maintenance', 'maintenance', String(left.maintenance), String(right.maintenance));
  add('acm', 'acm', 'acm', String(left.acm), String(right.acm));
  add('buildpacks', 'buildpacks', 'buildpacks', left.buildpacks.join(', '), right.buildpacks.join(', '));
  for (const key of union(Object.keys(left.config), Object.keys(right.config))) {
    const l = left.config[key];
    const r = right.config[key];
    add('config', key, `config.${key}`, l && describeVar(key, l), r && describeVar(key, r), !sameVar(l, r));
  }
  for (const type of union(Object.keys(left.formation), Object.keys(right.formation))) {
    const l = left.formation[type];
    const r = right.formation[type];
    add('formation', type, `formation.${type}`, l && `${l.quantity} × ${l.size}`, r && `${r.quantity} × ${r.size}`);
  }
  for (const name of union(Object.keys(left.addons), Object.keys(right.addons))) {
    add('addons', name, `addons.${name}`, left.addons[name]?.plan, right.addons[name]?.plan);
  }
  for (const feature of union(left.features, right.features)) {
    add('features', feature, 'features', left.features.includes(feature) ? 'enabled' : undefined, right.features.includes(feature) ? 'enabled' : undefined);
  }
  return out;
}

function union(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])].sort(compareStrings);
}

function describeVar(key: string, spec: ConfigVarSpec): string {
  switch (spec.kind) {
    case 'literal':
      return spec.sensitive || isSecretName(key) ? '(sensitive value)' : JSON.stringify(spec.value);
    case 'from_env':
      return `from_env ${spec.variable}${spec.optional ? ' (optional)' : ''}`;
    case 'generate':
      return `generated secret (${spec.bytes} bytes)`;
  }
}

/** Same declaration on both sides (secret literals compared by value, never shown). */
function sameVar(l: ConfigVarSpec | undefined, r: ConfigVarSpec | undefined): boolean {
  if (l === undefined || r === undefined) return l === r;
  return JSON.stringify(l) === JSON.stringify(r);
}
