import { describe, expect, it } from 'vitest';
import { actionStyle, createPalette } from '../../../src/render/colors.js';

describe('createPalette', () => {
  it('is the identity when colour is off, whatever the environment says', () => {
    const palette = createPalette(false);
    expect(palette.enabled).toBe(false);
    for (const style of [palette.create, palette.update, palette.replace, palette.delete, palette.dim, palette.bold]) {
      expect(style('text')).toBe('text');
    }
  });

  it('wraps text in ANSI codes when colour is on', () => {
    const palette = createPalette(true);
    expect(palette.dim('x')).toBe('\u001b[2mx\u001b[22m');
    expect(palette.bold('x')).toBe('\u001b[1mx\u001b[22m');
    expect(palette.error('x')).toBe('\u001b[31mx\u001b[39m');
    expect(palette.warning('x')).toBe('\u001b[33mx\u001b[39m');
  });
});

describe('actionStyle', () => {
  const palette = createPalette(true);

  it('gives each action its colour', () => {
    expect((['create', 'update', 'replace', 'delete'] as const).map((a) => actionStyle(palette, a)('s'))).toEqual([
      '\u001b[32ms\u001b[39m',
      '\u001b[33ms\u001b[39m',
      '\u001b[35ms\u001b[39m',
      '\u001b[31ms\u001b[39m',
    ]);
  });

  it('rejects a value outside the union', () => {
    expect(() => actionStyle(palette, 'noop' as never)).toThrow(/unexpected action/);
  });
});
