import { describe, expect, it } from 'vitest';
import { sameOriginPath, sameOriginRedirect } from './redirect';

describe('sign-in redirect targets', () => {
  it('keeps same-origin paths with their query and fragment', () => {
    expect(sameOriginPath('/tasks')).toBe('/tasks');
    expect(sameOriginPath('/tasks?filter=mine#top')).toBe('/tasks?filter=mine#top');
    expect(sameOriginPath('http://127.0.0.1:3000/devices', 'http://127.0.0.1:3000')).toBe('/devices');
  });

  it('refuses everything a browser would take to another origin', () => {
    for (const hostile of [
      '/\\127.0.0.1:3999/x',
      '/\t/127.0.0.1:3999/x',
      '/\n/evil.example',
      '//evil.example/x',
      '\\\\evil.example',
      '/x/..//evil.example',
      '/%2e%2e//evil.example',
      'https://evil.example/',
      'javascript:alert(1)',
      'http://127.0.0.1:3999/x',
    ]) {
      expect(sameOriginPath(hostile, 'http://127.0.0.1:3000'), hostile).toBe('/');
    }
    expect(sameOriginPath(undefined)).toBe('/');
    expect(sameOriginPath('')).toBe('/');
  });

  it('next-auth redirect callback stays on the base URL', () => {
    const base = 'http://127.0.0.1:3000';
    expect(sameOriginRedirect('/tasks', base)).toBe('http://127.0.0.1:3000/tasks');
    expect(sameOriginRedirect('http://127.0.0.1:3000/devices?a=1', base)).toBe(
      'http://127.0.0.1:3000/devices?a=1',
    );
    expect(sameOriginRedirect('/\\127.0.0.1:3999/x', base)).toBe(base);
    expect(sameOriginRedirect('https://evil.example/', base)).toBe(base);
  });
});
