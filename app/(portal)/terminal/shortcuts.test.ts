import { describe, expect, it } from 'vitest';
import { tabShortcut } from './shortcuts';

const key = (
  code: string,
  mods: Partial<Record<'altKey' | 'shiftKey' | 'ctrlKey' | 'metaKey', boolean>>,
) => ({
  code,
  altKey: false,
  shiftKey: false,
  ctrlKey: false,
  metaKey: false,
  ...mods,
});

describe('tab shortcuts', () => {
  it('Alt+Shift+→/←/W move between tabs and close one', () => {
    expect(tabShortcut(key('ArrowRight', { altKey: true, shiftKey: true }))).toBe('next');
    expect(tabShortcut(key('ArrowLeft', { altKey: true, shiftKey: true }))).toBe('previous');
    expect(tabShortcut(key('KeyW', { altKey: true, shiftKey: true }))).toBe('close');
  });

  it('leaves the keys a device needs to the terminal', () => {
    expect(tabShortcut(key('KeyC', { ctrlKey: true }))).toBeNull(); // interrupt
    expect(tabShortcut(key('KeyZ', { ctrlKey: true }))).toBeNull();
    expect(tabShortcut(key('ArrowRight', { ctrlKey: true }))).toBeNull(); // word right
    expect(tabShortcut(key('ArrowRight', { ctrlKey: true, shiftKey: true }))).toBeNull();
    expect(tabShortcut(key('ArrowLeft', { altKey: true }))).toBeNull(); // Meta-b style word moves
    expect(tabShortcut(key('KeyW', { altKey: true }))).toBeNull(); // Emacs M-w
    expect(tabShortcut(key('KeyW', { ctrlKey: true }))).toBeNull(); // delete word
    expect(tabShortcut(key('ArrowRight', { altKey: true, shiftKey: true, ctrlKey: true }))).toBeNull();
  });
});
