import { describe, expect, it } from 'vitest';
import { decodeAnsiC } from './ansi-c-decoder.js';

describe('decodeAnsiC', () => {
  it('decodes hex, octal and named escapes', () => {
    expect(decodeAnsiC('\\x72m')).toBe('rm');
    expect(decodeAnsiC('\\101\\0')).toBe('A\0');
    expect(decodeAnsiC('\\n\\t\\\\\\\'\\"\\?\\a\\b\\e\\E\\f\\r\\v')).toBe('\n\t\\\'"?\x07\b\x1b\x1b\f\r\v');
  });

  it('decodes \\u and \\U to UTF-8 bytes', () => {
    expect(decodeAnsiC('\\u00e9')).toBe('\xc3\xa9');
    expect(decodeAnsiC('\\U0001F600')).toBe('\xf0\x9f\x98\x80');
    expect(decodeAnsiC('\\ud800')).toBe('\xef\xbf\xbd');
  });

  it('decodes control characters', () => {
    expect(decodeAnsiC('\\cA\\ca\\c?')).toBe('\x01\x01\x7f');
  });

  it('keeps escapes bash does not know, and a trailing backslash', () => {
    expect(decodeAnsiC('\\q')).toBe('\\q');
    expect(decodeAnsiC('\\xZZ')).toBe('\\xZZ');
    expect(decodeAnsiC('a\\')).toBe('a\\');
    expect(decodeAnsiC('plain')).toBe('plain');
  });
});
