import { json } from '../../http.js';
import { stableUuid, UUID_PATTERN } from '../../ids.js';
import { CEDAR } from '../model/catalog.js';
import { findApp } from '../model/lookup.js';
import type { HerokuRouter } from '../protocol/context.js';
import { notFound } from '../protocol/errors.js';
import { paginate, type RangeKey } from '../protocol/range.js';

/**
 * The Cedar dyno-size catalogue. Ids, compute, memory, prices and dyno units of Eco … Performance-L
 * and the Private/Shield sizes are those of the official CLI's `ps:type` test fixture (captured
 * from the API); Performance-L-RAM/XL/2XL use the published memory and monthly prices with derived
 * ids. Prices are cents per month; Eco is a flat $5 shared across all Eco dynos, so 0 per dyno.
 */
export interface DynoSize {
  readonly id: string;
  readonly name: string;
  readonly compute: number;
  readonly memory: number;
  readonly cents: number | null;
  readonly dedicated: boolean;
  readonly preciseDynoUnits: number;
  readonly privateSpaceOnly: boolean;
  /** Scaling rules: eco and basic allow one dyno per process type, professional up to 100. */
  readonly tier: 'eco' | 'basic' | 'professional' | 'private' | 'shield';
}

type Row = [
  name: string,
  id: string | null,
  compute: number,
  memory: number,
  cents: number | null,
  dedicated: boolean,
  units: number,
  tier: DynoSize['tier'],
];

const ROWS: readonly Row[] = [
  ['Eco', '0f5ec139-ee6b-4de6-a3fe-48d9c3d3e663', 1, 0.5, 0, false, 0, 'eco'],
  ['Basic', '5c93cdee-2bbd-4fc0-9f04-d369d1dbb962', 1, 0.5, 700, false, 0.28, 'basic'],
  ['Standard-1X', '03307558-da97-4417-b1b3-e7f23b565422', 1, 0.5, 2500, false, 1, 'professional'],
  ['Standard-2X', '28c44219-0905-4318-8bb7-c2dda860e472', 2, 1, 5000, false, 2, 'professional'],
  ['Performance-M', '808d31e7-300c-4313-9af3-bc7b69639ef3', 11, 2.5, 25000, true, 8, 'professional'],
  ['Performance-L', 'b711833f-ffa6-478f-82a3-30e071c32485', 46, 14, 50000, true, 16, 'professional'],
  ['Performance-L-RAM', null, 4, 30, 50000, true, 16, 'professional'],
  ['Performance-XL', null, 8, 62, 75000, true, 24, 'professional'],
  ['Performance-2XL', null, 16, 126, 150000, true, 48, 'professional'],
  ['Private-S', 'c5ccc7a9-16ae-4bca-9247-7630c8d00a82', 2, 1, null, true, 5, 'private'],
  ['Private-M', '5d6efb3e-ad8b-4518-ae8d-88540116d92c', 14, 2.5, null, true, 10, 'private'],
  ['Private-L', 'e29ee54f-6988-4810-aaac-d17d55d8a022', 52, 14, null, true, 20, 'private'],
  ['Shield-S', '7481b4f2-ca73-4faf-9c6d-33cab08ad6e2', 2, 1, null, true, 6, 'shield'],
  ['Shield-M', 'fabceacc-cdb4-4e3c-ab42-5dd861ea4926', 14, 2.5, null, true, 12, 'shield'],
  ['Shield-L', 'a0c5f2c9-6a29-478d-80bd-52f785a9499d', 52, 14, null, true, 24, 'shield'],
];

export const DYNO_SIZES: readonly DynoSize[] = ROWS.map(
  ([name, id, compute, memory, cents, dedicated, units, tier]) => ({
    id: id ?? stableUuid('dyno-size', name.toLowerCase()),
    name,
    compute,
    memory,
    cents,
    dedicated,
    preciseDynoUnits: units,
    privateSpaceOnly: tier === 'private' || tier === 'shield',
    tier,
  }),
);

/** Most dynos of one process type a size allows. */
export function maxQuantity(size: DynoSize): number {
  return size.tier === 'eco' || size.tier === 'basic' ? 1 : 100;
}

/** By id, or by name case-insensitively (`standard-1x`, `Standard-1X`). */
export function findDynoSize(identity: string): DynoSize | undefined {
  if (UUID_PATTERN.test(identity)) return DYNO_SIZES.find((s) => s.id === identity.toLowerCase());
  const wanted = identity.toLowerCase();
  return DYNO_SIZES.find((s) => s.name.toLowerCase() === wanted);
}

export function dynoSizeJson(size: DynoSize): Record<string, unknown> {
  return {
    architecture: 'amd64',
    compute: size.compute,
    cost: size.cents === null ? null : { cents: size.cents, unit: 'month' },
    dedicated: size.dedicated,
    generation: { id: CEDAR.id, name: CEDAR.name },
    id: size.id,
    memory: size.memory,
    name: size.name,
    precise_dyno_units: size.preciseDynoUnits,
    private_space_only: size.privateSpaceOnly,
  };
}

const SIZE_RANGES: readonly RangeKey<DynoSize>[] = [
  { name: 'id', value: (s) => s.id },
  { name: 'name', value: (s) => s.name },
];

export function registerDynoSizes(router: HerokuRouter): void {
  router.add('GET', '/dyno-sizes', {
    handler: (ctx) => paginate(DYNO_SIZES, SIZE_RANGES, ctx.range, dynoSizeJson),
  });
  router.add('GET', '/dyno-sizes/:size', {
    handler: (ctx) => {
      const size = findDynoSize(ctx.params['size'] as string);
      if (size === undefined) throw notFound('dyno size');
      return json(200, dynoSizeJson(size));
    },
  });
  router.add('GET', '/apps/:app/available-dyno-sizes', {
    handler: (ctx) => {
      findApp(ctx.world.state.heroku, ctx.params['app'] as string);
      // Sandbox apps are never in a Private Space.
      const sizes = DYNO_SIZES.filter((s) => !s.privateSpaceOnly);
      return paginate(sizes, SIZE_RANGES, ctx.range, dynoSizeJson);
    },
  });
}
