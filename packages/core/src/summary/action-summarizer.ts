import type { Risk } from '../policy/policy-types.js';
import { findCatalogEntry } from './action-catalog.js';
import { paramFindings } from './param-signals.js';
import { finding, type RiskFinding } from './risk-finding.js';
import { maxRisk, raiseRisk, riskRank } from './risk-level.js';
import { summaryText } from './summary-text.js';
import type { ActionCatalog, ActionSummary, RiskSignal, SummaryInput } from './summary-types.js';

const PRODUCTION = /^prod(?:uction)?$/i;
/** An environment name short and plain enough to repeat in a sentence. */
const PLAIN_ENVIRONMENT = /^[\w.-]{1,32}$/;
const MAX_SIGNALS = 20;

/**
 * The built-in explainer: one or two plain sentences about what an action will do, its risk, and
 * the signals that raised it. Pure and deterministic; never throws. The risk is at least the
 * catalog's default for the action; a production environment raises it one level (so at least medium). The agent's stated reason (`context.reason`) and
 * risk hint (`context.risk`) are never read: they are claims, shown apart.
 * @example summarizeAction({ action: 'shell.execute', params: { command: 'rm -rf build' }, context: {} }).risk // 'high'
 */
export function summarizeAction(input: SummaryInput, catalog?: ActionCatalog): ActionSummary {
  // A caller outside TypeScript may pass anything; `String()` itself can throw on odd objects.
  const action = typeof input.action === 'string' ? input.action : '(not an action name)';
  const params = isRecord(input.params) ? input.params : {};
  const context = isRecord(input.context) ? input.context : {};
  const entry = safely(() => findCatalogEntry(catalog, action), undefined);
  const findings: RiskFinding[] = safely(
    () => paramFindings(action, params),
    [finding('unreadable-params', 'medium', 'the params could not be read')],
  );
  if (entry?.reversible === false)
    findings.push(finding('irreversible', 'medium', `${action} cannot be undone`));

  const environment = typeof context.environment === 'string' ? context.environment : undefined;
  const production = environment !== undefined && PRODUCTION.test(environment);
  let risk: Risk = maxRisk(entry?.defaultRisk ?? 'low', ...findings.map((f) => f.risk));
  if (production) {
    risk = raiseRisk(risk);
    findings.push(finding('production', 'medium', `environment ${environment}`));
  }
  const signals = toSignals(findings);
  const text = safely(
    () =>
      summaryText({
        action,
        params,
        ...(environment !== undefined && PLAIN_ENVIRONMENT.test(environment) ? { environment } : {}),
        ...(entry === undefined ? {} : { entry }),
        signals,
      }),
    'Performs an action whose params could not be described.',
  );
  return Object.freeze({ text, risk, signals, source: 'built-in' });
}

/** The findings as public signals: risk dropped, duplicates merged, most severe first, bounded. */
function toSignals(findings: readonly RiskFinding[]): readonly RiskSignal[] {
  const seen = new Set<string>();
  const ordered = [...findings].sort((a, b) => riskRank(b.risk) - riskRank(a.risk));
  const signals: RiskSignal[] = [];
  for (const { code, detail } of ordered) {
    const key = `${code}\u0000${detail}`;
    if (seen.has(key) || signals.length >= MAX_SIGNALS) continue;
    seen.add(key);
    signals.push(Object.freeze({ code, detail }));
  }
  return Object.freeze(signals);
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// The explainer must never fail a request's notification: an unexpected input shape degrades to less detail.
function safely<T>(run: () => T, fallback: T): T {
  try {
    return run();
  } catch {
    return fallback;
  }
}
