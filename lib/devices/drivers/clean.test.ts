import { describe, expect, it } from 'vitest';
import { applyBackspaces, ciscoIos, cleanOutput, huaweiVrp, juniperJunos, stripAnsi } from './index';

describe('cleanOutput keeps the device’s output exactly', () => {
  it('keeps leading and trailing blank lines and trailing spaces', () => {
    const raw = 'show clock\r\n\r\n*09:12:44.123 CET Mon Mar 18 2024  \r\n\r\n\r\nR1#';
    expect(cleanOutput(ciscoIos, raw, 'show clock')).toBe('\n*09:12:44.123 CET Mon Mar 18 2024  \n\n');
  });
  it('returns nothing for a command without output', () => {
    expect(cleanOutput(ciscoIos, 'terminal length 0\r\nR1#', 'terminal length 0')).toBe('');
    expect(
      cleanOutput(
        juniperJunos,
        'set system ntp server 10.0.0.1 \r\n\r\n[edit]\r\nadmin@mx1# ',
        'set system ntp server 10.0.0.1',
      ),
    ).toBe('');
  });
  it('removes the echo only when the first line is the command (after a prompt, too)', () => {
    expect(cleanOutput(ciscoIos, 'R1#show clock\r\n09:12:44\r\nR1#', 'show clock')).toBe('09:12:44');
    expect(cleanOutput(ciscoIos, '09:12:44\r\nR1#', 'show clock')).toBe('09:12:44');
  });
  it('keeps a line of output that ends with spaces before a pager, and removes only the indent', () => {
    const raw = `display x\r\nvalue   \r\n  ---- More ----\x1b[16D${' '.repeat(16)}\x1b[16Dnext\r\n<sw1>`;
    expect(cleanOutput(huaweiVrp, raw, 'display x')).toBe('value   \nnext');
  });
  it('applies backspaces, strips colours and control characters, and lets a lone CR overwrite', () => {
    const raw =
      'shw\b\bhow x\r\n\x1b[1;32mOK\x1b[0m\x07\x00\r\nCopying... 10%\rCopying... 100%\r\nab\rX\r\nR1#';
    expect(cleanOutput(ciscoIos, raw, 'show x')).toBe('OK\nCopying... 100%\nXb');
  });
});

describe('building blocks', () => {
  it('applies backspaces and strips colours', () => {
    expect(applyBackspaces('shw\b\bhow')).toBe('show');
    expect(applyBackspaces('a\n\bb')).toBe('a\nb');
    expect(stripAnsi('\x1b[1;32mOK\x1b[0m \x1b]0;title\x07done')).toBe('OK done');
  });
});
