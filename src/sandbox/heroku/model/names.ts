import type { Ids } from '../../ids.js';

/**
 * Heroku-style generated names: apps `shrouded-badlands-04521`, add-ons
 * `postgresql-flexible-35202`. Drawn from the deterministic id source.
 */
const ADJECTIVES = [
  'ancient',
  'boiling',
  'calm',
  'damp',
  'desolate',
  'enigmatic',
  'fathomless',
  'flexible',
  'floating',
  'frozen',
  'glacial',
  'guarded',
  'hidden',
  'immense',
  'infinite',
  'intense',
  'limitless',
  'lit',
  'mysterious',
  'obscure',
  'polar',
  'quiet',
  'radiant',
  'rugged',
  'secret',
  'serene',
  'shallow',
  'shrouded',
  'sleepy',
  'still',
  'stormy',
  'sturdy',
  'sunny',
  'tranquil',
  'vast',
  'warm',
];
const NOUNS = [
  'anchorage',
  'atoll',
  'badlands',
  'bastion',
  'basin',
  'bayou',
  'beach',
  'brook',
  'caverns',
  'citadel',
  'cliffs',
  'coast',
  'cove',
  'crag',
  'crater',
  'depths',
  'dusk',
  'falls',
  'fjord',
  'forest',
  'garden',
  'harbor',
  'island',
  'lake',
  'meadow',
  'mesa',
  'mountain',
  'ocean',
  'peak',
  'plains',
  'reaches',
  'reef',
  'retreat',
  'ridge',
  'river',
  'savannah',
  'sierra',
  'springs',
  'temple',
  'tundra',
  'waters',
  'wave',
];

export function appName(ids: Ids, taken: (name: string) => boolean): string {
  for (;;) {
    const name = `${ids.pick(ADJECTIVES)}-${ids.pick(NOUNS)}-${String(ids.int(100_000)).padStart(5, '0')}`;
    if (!taken(name)) return name;
  }
}

/** `heroku-postgresql` → `postgresql-<adjective>-<5 digits>`; other services keep their name. */
export function addonName(ids: Ids, service: string, taken: (name: string) => boolean): string {
  const base = service.replace(/^heroku-/, '');
  for (;;) {
    const name = `${base}-${ids.pick(ADJECTIVES)}-${String(ids.int(100_000)).padStart(5, '0')}`;
    if (!taken(name)) return name;
  }
}

const DNS_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** A custom domain's DNS target: `<adjective>-<noun>-<24 base-36 chars>.herokudns.com`. */
export function dnsTarget(ids: Ids): string {
  const hash = [...ids.bytes(24)].map((b) => DNS_ALPHABET[b % DNS_ALPHABET.length]).join('');
  return `${ids.pick(ADJECTIVES)}-${ids.pick(NOUNS)}-${hash}.herokudns.com`;
}
