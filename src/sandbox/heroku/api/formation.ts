import { json } from '../../http.js';
import { UUID_PATTERN } from '../../ids.js';
import type { World } from '../../world.js';
import { appRef, findApp } from '../model/lookup.js';
import type { AppRecord, FormationRecord, SlugRecord } from '../model/state.js';
import { type Body, objectBody } from '../model/validate.js';
import type { HerokuContext, HerokuRouter } from '../protocol/context.js';
import { invalidParams, notFound } from '../protocol/errors.js';
import { paginate, type RangeKey } from '../protocol/range.js';
import { DYNO_SIZES, type DynoSize, findDynoSize, maxQuantity } from './dyno-sizes.js';

/**
 * Formation: one entry per process type declared by the current release's slug (its Procfile).
 * Before the first deploy there is none, and scaling a type no release declares is a 404, as on
 * Heroku. Changing the formation never creates a release.
 */

/**
 * Brings the formation in line with a newly released slug: new types appear, dropped ones go.
 * `release` is not a formation type: it runs once per release (release phase), never scaled.
 */
export function syncFormation(world: World, app: AppRecord, slug: SlugRecord): void {
  const now = world.now();
  const kept: FormationRecord[] = [];
  for (const [type, command] of Object.entries(slug.processTypes)) {
    if (type === 'release') continue;
    const existing = app.formation.find((f) => f.type === type);
    if (existing !== undefined) {
      if (existing.command !== command) {
        existing.command = command;
        existing.updatedAt = now;
      }
      kept.push(existing);
      continue;
    }
    // Like Heroku: a new `web` process starts with one dyno, any other type with none.
    kept.push({
      id: world.ids.uuid(),
      type,
      quantity: type === 'web' ? 1 : 0,
      size: defaultSize(app).name,
      command,
      createdAt: now,
      updatedAt: now,
    });
  }
  app.formation = kept;
}

/** Personal apps default to Basic, team apps to Standard-1X. */
function defaultSize(app: AppRecord): DynoSize {
  return findDynoSize(app.teamId === null ? 'basic' : 'standard-1x') as DynoSize;
}

export function formationJson(app: AppRecord, f: FormationRecord): Record<string, unknown> {
  const size = findDynoSize(f.size) as DynoSize;
  return {
    app: appRef(app),
    command: f.command,
    created_at: f.createdAt,
    dyno_size: { id: size.id, name: size.name },
    id: f.id,
    quantity: f.quantity,
    size: size.name,
    type: f.type,
    updated_at: f.updatedAt,
  };
}

const FORMATION_RANGES: readonly RangeKey<FormationRecord>[] = [
  { name: 'id', value: (f) => f.id },
  { name: 'type', value: (f) => f.type },
];

export function registerFormation(router: HerokuRouter): void {
  router.add('GET', '/apps/:app/formation', {
    handler: (ctx) => {
      const app = findApp(ctx.world.state.heroku, ctx.params['app'] as string);
      return paginate(app.formation, FORMATION_RANGES, ctx.range, (f) => formationJson(app, f));
    },
  });
  router.add('GET', '/apps/:app/formation/:formation', {
    handler: (ctx) => {
      const app = findApp(ctx.world.state.heroku, ctx.params['app'] as string);
      return json(200, formationJson(app, findFormation(app, ctx.params['formation'] as string)));
    },
  });
  router.add('PATCH', '/apps/:app/formation', {
    handler: (ctx) => {
      const app = findApp(ctx.world.state.heroku, ctx.params['app'] as string);
      const body = objectBody(ctx.body);
      const updates = body['updates'];
      if (!Array.isArray(updates)) throw invalidParams('Invalid params: updates must be an array.');
      const parsed = updates.map((u: unknown, i) => parseUpdate(u, `updates[${i}]`, undefined));
      return json(
        200,
        applyUpdates(ctx, app, parsed).map((f) => formationJson(app, f)),
      );
    },
  });
  router.add('PATCH', '/apps/:app/formation/:formation', {
    handler: (ctx) => {
      const app = findApp(ctx.world.state.heroku, ctx.params['app'] as string);
      const update = parseUpdate(objectBody(ctx.body), 'body', ctx.params['formation'] as string);
      const [updated] = applyUpdates(ctx, app, [update]);
      return json(200, formationJson(app, updated as FormationRecord));
    },
  });
}

/** A process type by id or type name; a type no release declares is a 404. */
function findFormation(app: AppRecord, identity: string): FormationRecord {
  const found = UUID_PATTERN.test(identity)
    ? app.formation.find((f) => f.id === identity.toLowerCase())
    : app.formation.find((f) => f.type === identity);
  if (found === undefined) throw notFound('process type', identity);
  return found;
}

interface Update {
  readonly type: string;
  /** Absolute count, or a signed delta from a `"+1"` / `"-2"` string (as `heroku ps:scale` sends). */
  readonly quantity: { value: number; relative: boolean } | undefined;
  readonly size: DynoSize | undefined;
}

/**
 * One update as the API accepts it: `type` (required in a batch), `quantity` as an integer or a
 * string, and the size either as `dyno_size: {name} | {id}` or as the legacy `size` string the
 * official CLI still sends.
 */
function parseUpdate(raw: unknown, where: string, pathType: string | undefined): Update {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw invalidParams(`Invalid params: ${where} must be an object.`);
  const u = raw as Body;
  const type = pathType ?? u['type'];
  if (typeof type !== 'string' || !/^[-\w]{1,128}$/.test(type))
    throw invalidParams(`Invalid params: ${where}.type must be a process type name.`);
  return { type, quantity: parseQuantity(u['quantity'], where), size: parseSize(u, where) };
}

function parseQuantity(value: unknown, where: string): Update['quantity'] {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' && Number.isInteger(value)) return { value, relative: false };
  if (typeof value === 'string' && /^[+-]?\d{1,9}$/.test(value.trim())) {
    const text = value.trim();
    return { value: Number(text), relative: text.startsWith('+') || text.startsWith('-') };
  }
  throw invalidParams(`Invalid params: ${where}.quantity must be an integer.`);
}

function parseSize(u: Body, where: string): DynoSize | undefined {
  const dynoSize = u['dyno_size'];
  let name: string | undefined;
  if (dynoSize !== undefined && dynoSize !== null) {
    if (typeof dynoSize === 'string') name = dynoSize;
    else if (typeof dynoSize === 'object' && !Array.isArray(dynoSize)) {
      const ref = dynoSize as Body;
      const picked = ref['id'] ?? ref['name'];
      if (typeof picked === 'string') name = picked;
    }
    if (name === undefined) throw invalidParams(`Invalid params: ${where}.dyno_size must be {name} or {id}.`);
  } else if (u['size'] !== undefined && u['size'] !== null) {
    if (typeof u['size'] !== 'string') throw invalidParams(`Invalid params: ${where}.size must be a string.`);
    name = u['size'];
  }
  if (name === undefined) return undefined;
  const size = findDynoSize(name);
  if (size === undefined) {
    throw invalidParams(
      `No such dyno size as ${name}. Sizes: ${DYNO_SIZES.filter((s) => !s.privateSpaceOnly)
        .map((s) => s.name)
        .join(', ')}.`,
    );
  }
  return size;
}

/**
 * Applies a batch all-or-nothing: every type must exist, quantities stay within what each size
 * allows, Private/Shield sizes need a space, and the running dynos (quantity > 0) may not mix the
 * Eco, Basic and Standard/Performance tiers.
 */
function applyUpdates(ctx: HerokuContext, app: AppRecord, updates: readonly Update[]): FormationRecord[] {
  const draft = new Map(
    app.formation.map((f) => [f.type, { quantity: f.quantity, size: findDynoSize(f.size) as DynoSize }]),
  );
  const touched: FormationRecord[] = [];
  for (const update of updates) {
    const record = findFormation(app, update.type);
    const next = draft.get(record.type) as { quantity: number; size: DynoSize };
    if (update.size !== undefined) {
      if (update.size.privateSpaceOnly)
        throw invalidParams(`${update.size.name} dynos can only be used in a Private Space.`);
      next.size = update.size;
    }
    if (update.quantity !== undefined) {
      const quantity = update.quantity.relative ? next.quantity + update.quantity.value : update.quantity.value;
      if (quantity < 0) throw invalidParams(`Invalid params: quantity for ${record.type} must be 0 or more.`);
      next.quantity = quantity;
    }
    if (next.quantity > maxQuantity(next.size)) {
      throw invalidParams(
        `Cannot update to more than ${maxQuantity(next.size)} ${next.size.name} size dynos per process type.`,
      );
    }
    if (!touched.includes(record)) touched.push(record);
  }
  const tiers = new Set([...draft.values()].filter((d) => d.quantity > 0).map((d) => tierLabel(d.size)));
  if (tiers.size > 1) throw invalidParams(`Cannot mix ${[...tiers].sort().join(' and ')} dynos in one app.`);
  // An Eco app runs at most two dynos at once (Dev Center "Dyno Scaling and Process Limits"); the
  // wording follows Heroku's one-off refusal "Cannot run more than N Eco size dynos." (inferred).
  const eco = [...draft.values()].filter((d) => d.size.tier === 'eco').reduce((sum, d) => sum + d.quantity, 0);
  if (eco > ECO_DYNOS_PER_APP) throw invalidParams(`Cannot run more than ${ECO_DYNOS_PER_APP} Eco size dynos.`);

  const now = ctx.world.now();
  for (const record of touched) {
    const next = draft.get(record.type) as { quantity: number; size: DynoSize };
    if (record.quantity !== next.quantity || record.size !== next.size.name) {
      record.quantity = next.quantity;
      record.size = next.size.name;
      record.updatedAt = now;
    }
  }
  return touched;
}

const ECO_DYNOS_PER_APP = 2;

function tierLabel(size: DynoSize): string {
  return size.tier === 'professional' ? 'Standard/Performance' : size.name;
}
