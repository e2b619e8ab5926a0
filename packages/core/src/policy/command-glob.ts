/**
 * Globs over one simple shell command's text (its argv joined by single spaces):
 * `*` matches any run of characters, spaces included, `?` any one character.
 *
 * @example compileCommandGlob('git push*').test('git push --force') // true
 */
export function compileCommandGlob(glob: string): RegExp {
  const words = glob.trim().split(/\s+/);
  const body = words
    .map((word) =>
      word
        .split('')
        .map((char) => (char === '*' ? '.*' : char === '?' ? '.' : char.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
        .join(''),
    )
    .join(' ');
  return new RegExp(`^${body}$`, 's');
}
