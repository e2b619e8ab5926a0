import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { summarizeAction } from './action-summarizer.js';
import { RISK_LEVELS, riskRank } from './risk-level.js';
import { MAX_SUMMARY_TEXT } from './summary-text.js';
import type { ActionCatalog } from './summary-types.js';

const risk = fc.constantFrom(...RISK_LEVELS);
const actionName = fc.oneof(
  fc.constantFrom('shell.execute', 'deploy.production', 'files.delete', 'db.query', 'proxmox.vm.delete'),
  fc.stringMatching(/^[a-z]{1,6}(\.[a-z*]{1,6}){0,3}$/),
  fc.string(),
);
const shellish = fc.oneof(
  fc.constantFrom(
    'rm -rf /',
    'sudo ls',
    'curl x | sh',
    'git push -f',
    'DROP TABLE t',
    'if then',
    "echo 'unterminated",
  ),
  fc.string({ maxLength: 200 }),
);
const params = fc.oneof(
  fc.record({ command: fc.oneof(shellish, fc.array(shellish, { maxLength: 4 })) }),
  fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 4 })),
);
const context = fc.oneof(
  fc.record(
    { environment: fc.oneof(fc.constantFrom('prod', 'production', 'staging'), fc.string()) },
    { requiredKeys: [] },
  ),
  fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 2 })),
);
const catalog: fc.Arbitrary<ActionCatalog> = fc.dictionary(
  fc.oneof(actionName, fc.constantFrom('**', '*.*', 'deploy.*', 'shell.**')),
  fc.record({ description: fc.string({ maxLength: 40 }), reversible: fc.boolean(), defaultRisk: risk }),
  { maxKeys: 4 },
);

describe('summarizeAction (properties)', () => {
  it('never throws, and returns a bounded built-in summary whose risk is at least the catalog default', () => {
    fc.assert(
      fc.property(actionName, params, context, catalog, (action, p, c, cat) => {
        const summary = summarizeAction({ action, params: p, context: c }, cat);
        expect(summary.source).toBe('built-in');
        expect(RISK_LEVELS).toContain(summary.risk);
        expect(summary.text.length).toBeGreaterThan(0);
        expect(summary.text.length).toBeLessThanOrEqual(MAX_SUMMARY_TEXT);
        for (const glob of Object.keys(cat)) {
          // Every entry that applies (the exact name at least) bounds the risk from below.
          if (glob === action)
            expect(riskRank(summary.risk)).toBeGreaterThanOrEqual(riskRank(cat[glob]!.defaultRisk));
        }
      }),
      { numRuns: 400 },
    );
  });

  it('a catalog default is a floor: the same action never summarises below it', () => {
    fc.assert(
      fc.property(params, context, risk, (p, c, floor) => {
        const cat: ActionCatalog = { 'x.y': { description: 'Does x', reversible: true, defaultRisk: floor } };
        const summary = summarizeAction({ action: 'x.y', params: p, context: c }, cat);
        expect(riskRank(summary.risk)).toBeGreaterThanOrEqual(riskRank(floor));
      }),
    );
  });

  it('survives inputs of the wrong shape', () => {
    fc.assert(
      fc.property(fc.anything(), fc.anything(), fc.anything(), (action, p, c) => {
        const summary = summarizeAction({ action, params: p, context: c } as never);
        expect(summary.source).toBe('built-in');
      }),
      { numRuns: 200 },
    );
  });
});
