import { describe, expect, it } from 'vitest';
import { TERMINAL_FONT_SIZE, TERMINAL_THEMES } from '@/lib/i18n/config';
import {
  ANSI_COLOURS,
  TERMINAL_COLOUR_THEMES,
  clampFontSize,
  contrastRatio,
  isDarkTerminalTheme,
  terminalThemeName,
} from './themes';

const HEX = /^#[0-9a-f]{6}$/i;

describe('terminal colour themes', () => {
  it('has a theme for every name the preferences offer', () => {
    expect(Object.keys(TERMINAL_COLOUR_THEMES).sort()).toEqual([...TERMINAL_THEMES].sort());
  });

  for (const name of TERMINAL_THEMES) {
    const theme = TERMINAL_COLOUR_THEMES[name];
    describe(name, () => {
      it('defines all 16 ANSI colours, foreground, background and cursor as #rrggbb', () => {
        for (const key of [...ANSI_COLOURS, 'foreground', 'background', 'cursor', 'cursorAccent'] as const) {
          expect(theme[key], key).toMatch(HEX);
        }
      });

      it('draws the default text with at least 4.5:1 contrast', () => {
        expect(contrastRatio(theme.foreground, theme.background)).toBeGreaterThanOrEqual(4.5);
      });

      it('keeps every coloured text readable on the background', () => {
        // black on a dark theme is meant as a background colour (reverse video), not as text
        const min = isDarkTerminalTheme(name) ? 3 : 4.5;
        for (const key of ANSI_COLOURS) {
          if (key === 'black' && isDarkTerminalTheme(name)) continue;
          expect(contrastRatio(theme[key], theme.background), key).toBeGreaterThanOrEqual(min);
        }
      });

      it('shows the cursor against the background', () => {
        expect(contrastRatio(theme.cursor, theme.background)).toBeGreaterThanOrEqual(3);
      });
    });
  }

  it('keeps yellow and white readable on the light theme (they vanish on white otherwise)', () => {
    const light = TERMINAL_COLOUR_THEMES.light;
    for (const key of ['yellow', 'brightYellow', 'white', 'brightWhite'] as const) {
      expect(contrastRatio(light[key], light.background), key).toBeGreaterThanOrEqual(4.5);
    }
  });
});

describe('preference values', () => {
  it('falls back to the dark theme for an unknown name', () => {
    expect(terminalThemeName('light')).toBe('light');
    expect(terminalThemeName('neon')).toBe('dark');
    expect(terminalThemeName(undefined)).toBe('dark');
  });

  it('keeps the font size within range', () => {
    expect(clampFontSize(16)).toBe(16);
    expect(clampFontSize(3)).toBe(TERMINAL_FONT_SIZE.min);
    expect(clampFontSize(99)).toBe(TERMINAL_FONT_SIZE.max);
    expect(clampFontSize(Number.NaN)).toBe(TERMINAL_FONT_SIZE.default);
    expect(clampFontSize('14')).toBe(TERMINAL_FONT_SIZE.default);
  });

  it('computes WCAG contrast', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#ffffff', '#ffffff')).toBeCloseTo(1, 5);
  });
});
