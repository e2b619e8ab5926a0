import type { Risk } from '../policy/policy-types.js';

/** Every risk level, least to most. */
export const RISK_LEVELS: readonly Risk[] = Object.freeze(['low', 'medium', 'high', 'critical']);

/** The position of `risk` in `RISK_LEVELS` (0 for low … 3 for critical). */
export function riskRank(risk: Risk): number {
  return RISK_LEVELS.indexOf(risk);
}

/** The higher of the risks given (`low` for none). */
export function maxRisk(...risks: readonly Risk[]): Risk {
  let highest: Risk = 'low';
  for (const risk of risks) if (riskRank(risk) > riskRank(highest)) highest = risk;
  return highest;
}

/** One level up, capped at critical. */
export function raiseRisk(risk: Risk): Risk {
  return RISK_LEVELS[Math.min(RISK_LEVELS.length - 1, riskRank(risk) + 1)] ?? 'critical';
}

/** True when `value` is one of the risk levels. */
export function isRisk(value: unknown): value is Risk {
  return typeof value === 'string' && (RISK_LEVELS as readonly string[]).includes(value);
}
