/**
 * Cloudflare's managed rulesets, deployed by an `execute` rule in their phase's entrypoint
 * (reference/cloudflare-api.md §1.4, ids from Cloudflare's docs). The sandbox knows their
 * identity only, not their rules. All but the Free Managed Ruleset need a paid plan
 * (`managedRulesets` in facts/cloudflare-plans.ts).
 */
export const FREE_MANAGED_RULESET = '77454fe2d30c4220b5701f6fdfb893ba';

export interface ManagedRuleset {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly phase: string;
}

export const MANAGED_RULESETS: readonly ManagedRuleset[] = [
  {
    id: 'efb7b8c949ac4650a09736fc376e9aee',
    name: 'Cloudflare Managed Ruleset',
    description:
      'Created by the Cloudflare security team, this ruleset is designed to provide fast and effective protection for all your applications.',
    phase: 'http_request_firewall_managed',
  },
  {
    id: '4814384a9e5d4991b9815dcfc25d2f1f',
    name: 'Cloudflare OWASP Core Ruleset',
    description:
      "Cloudflare's implementation of the Open Web Application Security Project (OWASP) ModSecurity Core Rule Set.",
    phase: 'http_request_firewall_managed',
  },
  {
    id: 'c2e184081120413c86c3ab7e14069605',
    name: 'Cloudflare Exposed Credentials Check Ruleset',
    description: 'Exposed credentials check rules',
    phase: 'http_request_firewall_managed',
  },
  {
    id: '77454fe2d30c4220b5701f6fdfb893ba',
    name: 'Cloudflare Free Managed Ruleset',
    description:
      'Created by the Cloudflare security team, this ruleset provides protection against high-impact vulnerabilities, available on all plans.',
    phase: 'http_request_firewall_managed',
  },
  {
    id: 'e22d83c647c64a3eae91b71b499d988e',
    name: 'Cloudflare Sensitive Data Detection',
    description: 'Sensitive data detection rules',
    phase: 'http_response_firewall_managed',
  },
];

/** A fixed version and date for the catalogue: its contents never change in the sandbox. */
export const MANAGED_VERSION = '1';
export const MANAGED_LAST_UPDATED = '2026-01-01T00:00:00.000000Z';

export function managedRuleset(id: string): ManagedRuleset | undefined {
  return MANAGED_RULESETS.find((r) => r.id === id);
}
