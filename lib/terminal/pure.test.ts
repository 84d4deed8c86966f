import { describe, expect, it } from 'vitest';
import { flowDecision, WS_HIGH_WATER_BYTES, WS_LOW_WATER_BYTES } from './flow';
import { Scrollback } from './scrollback';

describe('flow decision', () => {
  const marks = { highBytes: 1000, lowBytes: 200 };
  it('pauses at the high-water mark and not before', () => {
    expect(flowDecision(999, false, marks)).toBe('none');
    expect(flowDecision(1000, false, marks)).toBe('pause');
  });
  it('stays paused between the marks and resumes at the low one (hysteresis)', () => {
    expect(flowDecision(500, true, marks)).toBe('none');
    expect(flowDecision(201, true, marks)).toBe('none');
    expect(flowDecision(200, true, marks)).toBe('resume');
    expect(flowDecision(0, true, marks)).toBe('resume');
  });
  it('uses named defaults with low below high', () => {
    expect(WS_LOW_WATER_BYTES).toBeLessThan(WS_HIGH_WATER_BYTES);
    expect(flowDecision(WS_HIGH_WATER_BYTES, false)).toBe('pause');
  });
});

describe('scrollback', () => {
  it('keeps everything under the bound', () => {
    const s = new Scrollback(10);
    s.push('abc');
    s.push('def');
    expect(s.snapshot()).toBe('abcdef');
  });
  it('drops the oldest output past the bound, keeping exactly the newest characters', () => {
    const s = new Scrollback(10);
    for (const part of ['0123', '4567', '89ab', 'cdef']) s.push(part);
    expect(s.snapshot()).toBe('6789abcdef');
    expect(s.size).toBe(10);
    s.push('x'.repeat(25));
    expect(s.snapshot()).toBe('x'.repeat(10));
  });
  it('stays bounded under a flood', () => {
    const s = new Scrollback(1000);
    for (let i = 0; i < 10_000; i++) s.push(`line ${i}\r\n`);
    expect(s.size).toBe(1000);
    expect(s.snapshot().endsWith('line 9999\r\n')).toBe(true);
  });
});
