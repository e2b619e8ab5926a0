import fc from 'fast-check';
import { it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { decomposeShell } from './shell-decompose.js';
import { quoteWord } from './shell-parts.test-support.js';
const SPECIAL = new Set('sudo doas env command builtin exec nohup nice time timeout xargs bash sh zsh dash ksh mksh ash eval find export local declare readonly typeset nameref let'.split(' '));
it('roundtrip log', () => {
  const word = fc.string({ unit: 'binary', maxLength: 12 }).filter((t) => !t.includes('\0'));
  const name = word.filter((t) => !SPECIAL.has(t.slice(t.lastIndexOf('/') + 1)));
  const log: string[] = [];
  let failed = '';
  fc.check(fc.property(name, fc.array(word, { maxLength: 5 }), (first, args) => {
    const line = [first, ...args].map(quoteWord).join(' ');
    log.push(line);
    const r = decomposeShell(line);
    if (!r.ok && !failed) failed = line;
    return r.ok;
  }), { numRuns: 20000, seed: 48689853, endOnFailure: true });
  writeFileSync('/tmp/shx/log.json', JSON.stringify({ log, failed }));
});
