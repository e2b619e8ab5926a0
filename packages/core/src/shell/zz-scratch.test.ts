import fc from 'fast-check';
import { it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { decomposeShell } from './shell-decompose.js';
import { quoteWord } from './shell-parts.test-support.js';
const SPECIAL = new Set('sudo doas env command builtin exec nohup nice time timeout xargs bash sh zsh dash ksh mksh ash eval find export local declare readonly typeset nameref let'.split(' '));
it('roundtrip log', () => {
  const word = fc.string({ unit: "binary", maxLength: 12 }).filter((t) => !/[\0\u0080\u0081]/.test(t));
  const name = word.filter((t) => !SPECIAL.has(t.slice(t.lastIndexOf('/') + 1)));
  const log: string[] = [];
  let failed = '';
  fc.check(fc.property(name, fc.array(word, { maxLength: 5 }), (first, args) => {
    const line = [first, ...args].map(quoteWord).join(' ');
    log.push(line);
    const r = decomposeShell(line);
    if (!r.ok && !failed) failed = line;
    if (!r.ok || r.parts.length !== 1 || JSON.stringify(r.parts[0]?.argv) !== JSON.stringify([first, ...args])) { console.log('MISMATCH', JSON.stringify(line), JSON.stringify(r)); return false; } return true;
  }), { numRuns: 20000, endOnFailure: true });
  writeFileSync('/tmp/shx/log.json', JSON.stringify({ log, failed }));
});
