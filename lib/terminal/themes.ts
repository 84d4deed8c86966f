import type { ITheme } from '@xterm/xterm';
import {
  TERMINAL_FONT_SIZE,
  TERMINAL_THEMES,
  isTerminalTheme,
  type TerminalThemeName,
} from '@/lib/i18n/config';

/**
 * The terminal's colour themes (the account page's "Terminal theme"). The page around the terminal
 * follows the portal's light/dark theme; the xterm area follows this one whatever the page is.
 *
 * Every ANSI colour a device or a shell may print with has to stay readable on the theme's
 * background: devices colour prompts and alarms, Linux hosts colour `ls`. The light theme therefore
 * darkens yellow and white (printed on white they would vanish), and Solarized's bright colours are
 * the accents lightened instead of its greys (the original maps bright black to the background).
 */
export type TerminalTheme = Required<
  Pick<
    ITheme,
    | 'foreground'
    | 'background'
    | 'cursor'
    | 'cursorAccent'
    | 'selectionBackground'
    | 'black'
    | 'red'
    | 'green'
    | 'yellow'
    | 'blue'
    | 'magenta'
    | 'cyan'
    | 'white'
    | 'brightBlack'
    | 'brightRed'
    | 'brightGreen'
    | 'brightYellow'
    | 'brightBlue'
    | 'brightMagenta'
    | 'brightCyan'
    | 'brightWhite'
  >
> & { selectionForeground?: string };

export const ANSI_COLOURS = [
  'black',
  'red',
  'green',
  'yellow',
  'blue',
  'magenta',
  'cyan',
  'white',
  'brightBlack',
  'brightRed',
  'brightGreen',
  'brightYellow',
  'brightBlue',
  'brightMagenta',
  'brightCyan',
  'brightWhite',
] as const;

export const TERMINAL_COLOUR_THEMES: Record<TerminalThemeName, TerminalTheme> = {
  // the portal's original terminal colours, with a Tailwind-based palette
  dark: {
    background: '#0b1220',
    foreground: '#e2e8f0',
    cursor: '#38bdf8',
    cursorAccent: '#0b1220',
    selectionBackground: '#334155',
    black: '#1e293b',
    red: '#f87171',
    green: '#4ade80',
    yellow: '#facc15',
    blue: '#60a5fa',
    magenta: '#e879f9',
    cyan: '#22d3ee',
    white: '#cbd5e1',
    brightBlack: '#94a3b8',
    brightRed: '#fca5a5',
    brightGreen: '#86efac',
    brightYellow: '#fde047',
    brightBlue: '#93c5fd',
    brightMagenta: '#f0abfc',
    brightCyan: '#67e8f9',
    brightWhite: '#f8fafc',
  },
  // dark text on white; yellow is amber-brown and "white" a mid grey, as GitHub's light terminal does
  light: {
    background: '#ffffff',
    foreground: '#1e293b',
    cursor: '#0369a1',
    cursorAccent: '#ffffff',
    selectionBackground: '#bae6fd',
    selectionForeground: '#0f172a',
    black: '#0f172a',
    red: '#b91c1c',
    green: '#166534',
    yellow: '#854d0e',
    blue: '#1d4ed8',
    magenta: '#a21caf',
    cyan: '#155e75',
    white: '#64748b',
    brightBlack: '#475569',
    brightRed: '#dc2626',
    brightGreen: '#15803d',
    brightYellow: '#a16207',
    brightBlue: '#2563eb',
    brightMagenta: '#c026d3',
    brightCyan: '#0e7490',
    brightWhite: '#6b7280',
  },
  // Ethan Schoonover's Solarized (dark), the foreground one step lighter (base1) for contrast
  'solarized-dark': {
    background: '#002b36',
    foreground: '#93a1a1',
    cursor: '#93a1a1',
    cursorAccent: '#002b36',
    selectionBackground: '#2f525b',
    black: '#073642',
    red: '#dc322f',
    green: '#859900',
    yellow: '#b58900',
    blue: '#268bd2',
    magenta: '#d33682',
    cyan: '#2aa198',
    white: '#eee8d5',
    brightBlack: '#839496',
    brightRed: '#f0605a',
    brightGreen: '#a8c023',
    brightYellow: '#dcae1d',
    brightBlue: '#5eaef0',
    brightMagenta: '#ec6aa8',
    brightCyan: '#4fc9bd',
    brightWhite: '#fdf6e3',
  },
};

/** Whether the theme is dark: the notices drawn over the terminal pick their colours by it. */
export function isDarkTerminalTheme(name: TerminalThemeName): boolean {
  return name !== 'light';
}

/** A stored value made safe: an unknown theme name falls back to the default (dark). */
export function terminalThemeName(value: unknown): TerminalThemeName {
  return isTerminalTheme(value) ? value : TERMINAL_THEMES[0];
}

/** A stored or chosen font size kept within the allowed range (whole pixels). */
export function clampFontSize(value: unknown): number {
  const n =
    typeof value === 'number' && Number.isFinite(value) ? Math.round(value) : TERMINAL_FONT_SIZE.default;
  return Math.min(TERMINAL_FONT_SIZE.max, Math.max(TERMINAL_FONT_SIZE.min, n));
}

/** WCAG relative luminance of a #rrggbb colour. */
export function relativeLuminance(hex: string): number {
  const m = /^#([0-9a-f]{6})$/i.exec(hex);
  if (!m) throw new Error(`not a #rrggbb colour: ${hex}`);
  const [r, g, b] = [0, 2, 4].map((i) => {
    const c = parseInt(m[1]!.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

/** WCAG contrast ratio between two #rrggbb colours (1 to 21). */
export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}
