/**
 * Finding a secret in text an API echoed back. An error body is JSON: a secret holding `"`, `\`,
 * a control character or non-ASCII text comes back escaped (`pa\"ss`, `caf\u00e9`), and once more
 * when a library quotes the body in its own message (`pa\\\"ss`). Each character other than a
 * letter or digit therefore matches as written, behind any number of backslashes, or as a `\uXXXX`
 * or short (`\n`) escape. Matching more than the exact escaping only ever redacts more.
 */

/** Secret values shorter than this are not searched for: they would blank out ordinary words. */
const MIN_SECRET_LENGTH = 6;

const SHORT_ESCAPES: Readonly<Record<string, string>> = { '\b': 'b', '\f': 'f', '\n': 'n', '\r': 'r', '\t': 't' };

/** One pattern for all of `secrets` (longest first: one may contain another); undefined when none is long enough. */
export function secretPattern(secrets: Iterable<string>): RegExp | undefined {
  const found = [...new Set(secrets)].filter((s) => s.length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length);
  if (found.length === 0) return undefined;
  return new RegExp(found.map(written).join('|'), 'g');
}

/** Whether any of `secrets` appears in `text`, as is or escaped. */
export function showsSecret(text: string, secrets: Iterable<string>): boolean {
  const pattern = secretPattern(secrets);
  return pattern?.test(text) ?? false;
}

/** `text` with every occurrence of `secrets`, as is or escaped, replaced by `[redacted]`. */
export function replaceSecrets(text: string, secrets: Iterable<string>): string {
  const pattern = secretPattern(secrets);
  return pattern === undefined ? text : text.replace(pattern, '[redacted]');
}

/** The pattern source of one secret, code unit by code unit (a `\uXXXX` escape is one code unit). */
function written(secret: string): string {
  let source = '';
  for (let i = 0; i < secret.length; i++) {
    const unit = secret.charAt(i);
    if (/[A-Za-z0-9]/.test(unit)) {
      source += unit;
      continue;
    }
    const hex = [...secret.charCodeAt(i).toString(16).padStart(4, '0')]
      .map((d) => (/\d/.test(d) ? d : `[${d}${d.toUpperCase()}]`))
      .join('');
    const short = SHORT_ESCAPES[unit];
    const alternatives = [`\\\\*${literal(unit)}`, `\\\\+u${hex}`, ...(short === undefined ? [] : [`\\\\+${short}`])];
    source += `(?:${alternatives.join('|')})`;
  }
  return source;
}

/** A code unit as a pattern that matches only itself (lone surrogates included: the pattern has no `u` flag). */
function literal(unit: string): string {
  return `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`;
}
