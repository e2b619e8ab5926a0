import { isScalar, Scalar } from 'yaml';

/** Source characters a double-quoted escape occupies, by the letter after the backslash. */
const HEX_ESCAPE_LENGTH: Readonly<Record<string, number>> = { x: 4, u: 6, U: 10 };

/**
 * The source offset of character `index` of a scalar's value, so an error inside a
 * string (a CEL expression) can point at the exact column. Only single-line plain and
 * quoted scalars map one-to-one enough for that; for others it returns `undefined`.
 *
 * @example scalarSourceOffset(scalarFor('"a\\\\b"'), text, 2) // offset of "b", past the escape
 */
export function scalarSourceOffset(node: unknown, text: string, index: number): number | undefined {
  if (!isScalar(node) || typeof node.value !== 'string' || node.range === undefined || node.range === null)
    return undefined;
  const [start, end] = node.range;
  if (text.slice(start, end).includes('\n')) return undefined;
  if (node.type === Scalar.PLAIN) return start + index;
  if (node.type !== Scalar.QUOTE_SINGLE && node.type !== Scalar.QUOTE_DOUBLE) return undefined;
  let offset = start + 1;
  let decoded = 0;
  while (decoded < index && offset < end - 1) {
    const char = text[offset];
    if (node.type === Scalar.QUOTE_SINGLE) {
      offset += char === "'" ? 2 : 1;
      decoded += 1;
    } else if (char === '\\') {
      const letter = text[offset + 1] ?? '';
      const length = HEX_ESCAPE_LENGTH[letter] ?? 2;
      // A \U escape beyond the Basic Multilingual Plane decodes to two UTF-16 units.
      decoded += letter === 'U' && Number.parseInt(text.slice(offset + 2, offset + 10), 16) > 0xffff ? 2 : 1;
      offset += length;
    } else {
      offset += 1;
      decoded += 1;
    }
  }
  return offset;
}
