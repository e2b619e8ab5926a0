import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { actionNameProblem, isCanonicalActionName, suggestCanonicalActionName } from './action-name.js';
import { compilePolicy } from './policy-compiler.js';
import { evaluateAction } from './policy-evaluator.js';
import { parsePolicy } from './policy-parser.js';

// The canonical-name rule (ADR 0006) as properties: no spelling of a gated action other than
// the canonical one is ever judged more leniently than it, and every refusal that can name
// the canonical form does.

const segment = fc.stringMatching(/^[a-z0-9_-]{1,12}$/);
const canonicalName = fc.array(segment, { minLength: 1, maxLength: 4 }).map((segments) => segments.join('.'));

/** Ways to spell a name otherwise: each keeps it readable as the same name to a person. */
const respell = fc.constantFrom(
  (name: string) => name.toUpperCase(),
  (name: string) => name.replace(/[a-z]/, (letter) => letter.toUpperCase()),
  (name: string) => ` ${name}`,
  (name: string) => `${name}\n`,
  (name: string) => name.replace('.', ' .'),
  (name: string) => `${name.slice(0, 1)}\u200B${name.slice(1)}`,
  (name: string) => `${name}\uFEFF`,
  (name: string) => name.replace(/[a-z]/g, (letter) => String.fromCharCode(letter.charCodeAt(0) + 0xfee0)),
  (name: string) => name.replace(/o/g, '\u043E').replace(/a/g, '\u0430').replace(/e/g, '\u0435'),
  (name: string) => name.replace(/i/g, '\u0131'),
);

const requester = { kind: 'agent' as const, id: 'bot', teams: [] };

describe('canonical action names (properties)', () => {
  it('a canonical name is accepted as it is and suggested as itself', () => {
    fc.assert(
      fc.property(canonicalName, (name) => {
        expect(isCanonicalActionName(name)).toBe(true);
        expect(actionNameProblem(name)).toBeUndefined();
        expect(suggestCanonicalActionName(name)).toBe(name);
      }),
    );
  });

  it('any other spelling of a gated action is refused and denied, never allowed', () => {
    fc.assert(
      fc.property(canonicalName, respell, (name, change) => {
        const spelling = change(name);
        fc.pre(spelling !== name);
        const parsed = parsePolicy(
          `defaults: { decision: allow }\nrules:\n  - name: gate\n    match: { action: ${JSON.stringify(name)} }\n    require: { stages: [{ approvers: { role: admin }, min: 1 }] }\n`,
          'p.yaml',
        );
        if (!parsed.ok) throw new Error(JSON.stringify(parsed.diagnostics));
        const compiled = compilePolicy(parsed.policy, 'v1');
        expect(evaluateAction(compiled, { action: name, params: {}, context: {}, requester }).outcome).toBe(
          'require',
        );
        expect(isCanonicalActionName(spelling)).toBe(false);
        const decision = evaluateAction(compiled, { action: spelling, params: {}, context: {}, requester });
        expect(decision).toMatchObject({ outcome: 'deny', reason: 'non-canonical-action' });
        const suggestion = suggestCanonicalActionName(spelling);
        if (suggestion !== undefined) {
          expect(suggestion).toBe(name);
          expect(actionNameProblem(spelling)).toContain(JSON.stringify(name));
        }
      }),
      { numRuns: 500 },
    );
  });

  it('a policy glob written in another spelling is refused with the canonical form', () => {
    fc.assert(
      fc.property(canonicalName, (name) => {
        fc.pre(/[a-z]/.test(name));
        const parsed = parsePolicy(
          `rules:\n  - name: gate\n    match: { action: ${JSON.stringify(name.toUpperCase())} }\n    deny: no\n`,
          'p.yaml',
        );
        expect(parsed.ok).toBe(false);
        if (!parsed.ok) expect(parsed.diagnostics[0]?.message).toContain(JSON.stringify(name));
      }),
      { numRuns: 200 },
    );
  });
});
