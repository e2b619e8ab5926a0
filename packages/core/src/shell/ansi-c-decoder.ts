/**
 * Decoding of bash's ANSI-C quoting (`$'…'`), so that `$'\x72m'` is seen as `rm`.
 * Works on byte strings (one character per byte, as the parser hands them out) and
 * returns a byte string: `\u00e9` becomes the two UTF-8 bytes of `é`.
 */

const SIMPLE_ESCAPES: ReadonlyMap<string, string> = new Map(
  Object.entries({
    a: '\x07',
    b: '\b',
    e: '\x1b',
    E: '\x1b',
    f: '\f',
    n: '\n',
    r: '\r',
    t: '\t',
    v: '\v',
    '\\': '\\',
    "'": "'",
    '"': '"',
    '?': '?',
  }),
);

/** The UTF-8 bytes of a code point, one character per byte; invalid code points become U+FFFD. */
function utf8Bytes(codePoint: number): string {
  const valid = codePoint <= 0x10ffff && (codePoint < 0xd800 || codePoint > 0xdfff);
  const encoded = new TextEncoder().encode(String.fromCodePoint(valid ? codePoint : 0xfffd));
  return String.fromCharCode(...encoded);
}

/** Up to `max` characters of `source` from `start` that match `digit`. */
function digitsAt(source: string, start: number, max: number, digit: RegExp): string {
  let end = start;
  while (end < source.length && end - start < max && digit.test(source.charAt(end))) end++;
  return source.slice(start, end);
}

const OCTAL = /[0-7]/;
const HEX = /[0-9a-fA-F]/;

/**
 * Decode the body of a `$'…'` string (without the quotes) the way bash does.
 *
 * @example decodeAnsiC('\\x72m') // 'rm'
 */
export function decodeAnsiC(body: string): string {
  let out = '';
  let index = 0;
  while (index < body.length) {
    const char = body.charAt(index);
    if (char !== '\\' || index + 1 >= body.length) {
      out += char;
      index++;
      continue;
    }
    const code = body.charAt(index + 1);
    const simple = SIMPLE_ESCAPES.get(code);
    if (simple !== undefined) {
      out += simple;
      index += 2;
    } else if (OCTAL.test(code)) {
      const digits = digitsAt(body, index + 1, 3, OCTAL);
      out += String.fromCharCode(Number.parseInt(digits, 8) & 0xff);
      index += 1 + digits.length;
    } else if (code === 'x' || code === 'u' || code === 'U') {
      const digits = digitsAt(body, index + 2, code === 'x' ? 2 : code === 'u' ? 4 : 8, HEX);
      if (digits === '') {
        out += `\\${code}`;
      } else {
        const value = Number.parseInt(digits, 16);
        out += code === 'x' ? String.fromCharCode(value) : utf8Bytes(value);
      }
      index += 2 + digits.length;
    } else if (code === 'c' && index + 2 < body.length) {
      const control = body.charAt(index + 2);
      out += control === '?' ? '\x7f' : String.fromCharCode(control.toUpperCase().charCodeAt(0) & 0x1f);
      index += 3;
    } else {
      // bash keeps unknown escapes as written.
      out += `\\${code}`;
      index += 2;
    }
  }
  return out;
}
