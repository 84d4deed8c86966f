/**
 * Keyboard shortcuts of the terminal page. Every key a device may need passes through: Ctrl+C/Z/D,
 * Ctrl+arrows (word moves), Alt+letter (Emacs-style editing), Esc (vi). Alt+Shift with an arrow or W
 * is used by no network CLI and by no browser, so the page can take it even while a terminal has focus.
 */
export type TabAction = 'next' | 'previous' | 'close';

export interface KeyLike {
  code: string;
  altKey: boolean;
  shiftKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
}

const KEYS: Record<string, TabAction> = { ArrowRight: 'next', ArrowLeft: 'previous', KeyW: 'close' };

/** The tab action a key press asks for, or null for a key that belongs to the terminal. */
export function tabShortcut(e: KeyLike): TabAction | null {
  // by physical key: on a Mac, Option+Shift+W types „ (e.key), still KeyW
  if (!e.altKey || !e.shiftKey || e.ctrlKey || e.metaKey) return null;
  return KEYS[e.code] ?? null;
}

/** What the `?` overlay lists: the page's own keys and the terminal's (`what`: keys of `terminal.help`). */
export const SHORTCUTS: {
  /** The keys as typed, or a key of `terminal.help` where they are described in words. */
  keys: { typed: string } | { described: 'renameKeys' };
  what: 'nextTab' | 'previousTab' | 'closeTab' | 'copy' | 'paste' | 'rename' | 'escape';
}[] = [
  { keys: { typed: 'Alt+Shift+→' }, what: 'nextTab' },
  { keys: { typed: 'Alt+Shift+←' }, what: 'previousTab' },
  { keys: { typed: 'Alt+Shift+W' }, what: 'closeTab' },
  { keys: { typed: 'Ctrl+Shift+C' }, what: 'copy' },
  { keys: { typed: 'Ctrl+Shift+V' }, what: 'paste' },
  { keys: { described: 'renameKeys' }, what: 'rename' },
  { keys: { typed: 'Esc' }, what: 'escape' },
];
