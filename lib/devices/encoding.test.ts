import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { createDecoder, deviceEncodingOf, encodeInput, ENCODINGS } from './encoding';

describe('device encoding', () => {
  it('decodes GBK split in the middle of a character, byte by byte', () => {
    const text = '上联核心交换机 GE0/0/1 财务部';
    const bytes = iconv.encode(text, 'gbk');
    const d = createDecoder('gbk');
    let out = '';
    for (const b of bytes) out += d.write(Buffer.from([b]));
    out += d.end();
    expect(out).toBe(text);
  });
  it('decodes UTF-8 split in the middle of a character', () => {
    const bytes = Buffer.from('接口 up ✓', 'utf8');
    const d = createDecoder('utf-8');
    const out =
      d.write(bytes.subarray(0, 2)) + d.write(bytes.subarray(2, 7)) + d.write(bytes.subarray(7)) + d.end();
    expect(out).toBe('接口 up ✓');
  });
  it('encodes input in the device encoding', () => {
    expect(encodeInput('gbk', '描述')).toEqual(iconv.encode('描述', 'gbk'));
    expect(encodeInput('utf-8', '描述')).toEqual(Buffer.from('描述'));
  });
  it.each([
    ['gb18030', '上联核心交换机 𠀀 GE0/0/1'],
    ['big5', '上聯核心交換機 GE0/0/1'],
    ['shift_jis', 'コアスイッチへの上り GE0/0/1'],
  ] as const)('round-trips %s split byte by byte', (encoding, text) => {
    const bytes = encodeInput(encoding, text);
    expect(bytes).toEqual(iconv.encode(text, encoding));
    const d = createDecoder(encoding);
    let out = '';
    for (const b of bytes) out += d.write(Buffer.from([b]));
    expect(out + d.end()).toBe(text);
  });
  it('reads an unknown stored encoding as UTF-8', () => {
    expect(ENCODINGS).toEqual(['utf-8', 'gbk', 'gb18030', 'big5', 'shift_jis']);
    expect(deviceEncodingOf('gbk')).toBe('gbk');
    expect(deviceEncodingOf('latin1')).toBe('utf-8');
  });
});
