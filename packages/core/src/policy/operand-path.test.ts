import { describe, expect, it } from 'vitest';
import { compilePathPattern, normalisePath, operandFact, operandMeets } from './operand-path.js';

describe('normalisePath', () => {
  it.each([
    ['//', '/'],
    ['/./', '/'],
    ['/.', '/'],
    ['/..', '/'],
    ['/etc/../', '/'],
    ['//etc//passwd/', '/etc/passwd'],
    ['/a/./b/../c', '/a/c'],
    ['./x/..', '.'],
    ['../../a', '../../a'],
    ['a/../../b', '../b'],
  ])('%s → %s', (text, expected) => {
    expect(normalisePath(text)).toBe(expected);
  });
});

describe('operandFact', () => {
  it('reads absolute globs as the entries of their literal directory', () => {
    expect(operandFact('/*')).toEqual({ kind: 'entries', dir: '/' });
    expect(operandFact('/.*')).toEqual({ kind: 'entries', dir: '/' });
    expect(operandFact('//etc/./*.conf')).toEqual({ kind: 'entries', dir: '/etc' });
    expect(operandFact('/tmp/*/../..')).toEqual({ kind: 'unknown' });
  });

  it('reads run-time words as unknown', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: shell text, not a template
    for (const text of ['$DIR', '${HOME}', '$(...)', '/tmp/$X', '`pwd`/..']) {
      expect(operandFact(text), text).toEqual({ kind: 'unknown' });
    }
  });

  it('marks relative and home paths that name no entry as anywhere', () => {
    for (const text of ['.', '..', '../..', './', '~', '~/../..', '~root']) {
      expect(operandFact(text), text).toMatchObject({ kind: 'relative', anywhere: true });
    }
    expect(operandFact('*')).toEqual({ kind: 'unknown' });
    expect(operandFact('~/.ssh')).toEqual({ kind: 'relative', path: '~/.ssh', anywhere: false, glob: false });
    expect(operandFact('./build/../dist/')).toEqual({
      kind: 'relative',
      path: 'dist',
      anywhere: false,
      glob: false,
    });
  });
});

describe('compilePathPattern', () => {
  it.each([
    ['/', '/', true],
    ['/', '/etc', false],
    ['/*', '/', false],
    ['/*', '/etc', true],
    ['/etc/*', '/etc/passwd', true],
    ['/etc/*', '/etc/ssh/x', false],
    ['/etc/**', '/etc/ssh/x', true],
    ['/etc/**', '/etc', false],
    ['/**', '/', false],
    ['//etc/./', '/etc', true],
    ['main', 'main', true],
    ['release/*', 'release/1.0', true],
    ['*', 'anything', true],
  ])('%s on %s is %s', (pattern, path, expected) => {
    expect(compilePathPattern(pattern).regex.test(path)).toBe(expected);
  });
});

describe('operandMeets', () => {
  const root = compilePathPattern('/');
  const etc = compilePathPattern('/etc');
  const tmp = compilePathPattern('/tmp/**');

  it('meets a gate on / with every spelling of the root', () => {
    for (const text of [
      '/',
      '//',
      '/./',
      '/.',
      '/etc/..',
      '/*',
      '/.*',
      '.',
      '..',
      '../..',
      '~',
      '~/../..',
      '$DIR',
      '*',
      'etc/..',
    ]) {
      expect(operandMeets(root, operandFact(text), true), text).toBe(true);
    }
  });

  it('meets a gate on a directory with a glob over its parent', () => {
    expect(operandMeets(etc, operandFact('/*'), true)).toBe(true);
    expect(operandMeets(etc, operandFact('/e*'), true)).toBe(true);
    expect(operandMeets(etc, operandFact('/tmp/*'), true)).toBe(false);
  });

  it('meets a gate with a relative path as if it ran at /', () => {
    expect(operandMeets(etc, operandFact('etc'), true)).toBe(true);
    expect(operandMeets(etc, operandFact('../../etc'), true)).toBe(true);
    expect(operandMeets(etc, operandFact('build'), true)).toBe(false);
  });

  it('never meets an allow rule with what an operand only might name', () => {
    for (const text of ['/tmp/*', '$DIR', '/tmp/$X', '.', '~/x', 'x']) {
      expect(operandMeets(tmp, operandFact(text), false), text).toBe(false);
    }
    expect(operandMeets(tmp, operandFact('/tmp/./a//b'), false)).toBe(true);
    expect(operandMeets(tmp, operandFact('/tmp/../etc/passwd'), false)).toBe(false);
  });
});
