import fc from 'fast-check';
import { it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { decomposeShell } from './shell-decompose.js';
it('differential vs bash', () => {
  const frag = fc.oneof(
    fc.constantFrom("'", '"', '\\', ' ', '{', '}', ',', '..', '1', '3', 'a', 'z', "$'", '\\x41', '\\u00e9', '\\n', '\\t', '\\\\', '\\"', "\\'", '-', '_', 'é', '\\c', '\\0', 'x{a,b}', '{1..3}', '{a..c..2}', '{05..1..2}', '=', '%', '@', '^', ':', '+', '/', '{"a,b"}', "{'x',y}", '{a,\\,}', '"$\'x\'"', '{,}', '{a,}b', '\{a,b}'),
    fc.string({ unit: 'grapheme-ascii', maxLength: 2 }).filter((s) => !/[$`*?[\]#;&|<>()!\n]/.test(s)),
  );
  const line = fc.array(frag, { minLength: 1, maxLength: 12 }).map((f) => 'f ' + f.join(''));
  let compared = 0, mism = 0;
  fc.assert(fc.property(line, (l) => {
    const r = decomposeShell(l);
    let bashArgs: string[] | undefined;
    try {
      const out = execFileSync('bash', ['--norc', '-c', `set -f; f() { for a; do printf '%s\\0' "$a"; done; }; ${l}`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
      bashArgs = out.split('\0').slice(0, -1);
    } catch { bashArgs = undefined; }
    if (!r.ok || bashArgs === undefined) return true;
    const part = r.parts[0];
    if (r.parts.length !== 1 || part === undefined || part.dynamic) return true;
    compared++;
    const mine = part.argv.slice(1);
    if (JSON.stringify(mine) !== JSON.stringify(bashArgs)) { mism++; if (mism < 15) console.log('DIFF', JSON.stringify(l), 'mine', JSON.stringify(mine), 'bash', JSON.stringify(bashArgs)); }
    return true;
  }), { numRuns: 8000 });
  console.log('COMPARED', compared, 'MISMATCHES', mism);
}, 300_000);
