import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Schema, SchemaValidator } from '../helpers/json-schema.js';

/** Heroku's official hyper-schema, its links by method + path shape, and a validator over it. */
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const herokuSchema = JSON.parse(
  readFileSync(resolve(root, 'schemas/heroku-platform-api.json'), 'utf8'),
) as Schema;
/**
 * Heroku's schema marks a domain's hostname `format: uri`, yet its own example and the API use a
 * bare hostname (`subdomain.example.com`, no scheme): it is checked as a hostname.
 */
export const validator = new SchemaValidator(herokuSchema, 'draft-04', {
  '/definitions/domain/definitions/hostname': { format: 'hostname' },
});

export interface Link {
  readonly method: string;
  readonly href: string;
  readonly targetSchema?: Schema;
}

/** `/apps/{(%23%2Fdefinitions…)}/formation` and `/apps/:app/formation` both become `/apps/*\/formation`. */
export function shape(method: string, path: string): string {
  const normalised = decodeURIComponent(path)
    .replace(/\{\([^)]*\)\}/g, '*')
    .replace(/:[A-Za-z_]+/g, '*');
  return `${method} ${normalised}`;
}

/** The first link of each shape (`POST /apps/{app}/releases` has two, with the same targetSchema). */
export const links = new Map<string, Link>();
for (const definition of Object.values(herokuSchema['definitions'] as Record<string, { links?: Link[] }>)) {
  for (const link of definition.links ?? []) {
    const key = shape(link.method, link.href);
    if (!links.has(key)) links.set(key, link);
  }
}

/** One request of the contract run: `pattern` is the sandbox route it exercises. */
export interface Call {
  readonly method: string;
  readonly pattern: string;
  readonly path: string;
  readonly body?: unknown;
  readonly status: number;
}

/** Ids a world set up for its calls (empty when only the call patterns are needed). */
export type Ids = Readonly<Record<string, string | undefined>>;
