import type { Risk } from '../policy/policy-types.js';

/** What a summary describes: the action exactly as submitted (the agent's reason is left out of the claims). */
export interface SummaryInput {
  readonly action: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly context: Readonly<Record<string, unknown>>;
}

/** One thing in the action that raises its risk: a stable code and a sentence fragment for people. */
export interface RiskSignal {
  /** `recursive-delete`, `pipe-to-shell`, `sql-drop`, `production`, … */
  readonly code: string;
  /** What was seen, e.g. `rm -rf build`. */
  readonly detail: string;
}

/** Where a summary came from: the built-in explainer, or a language model (`llm:<model>`). */
export type SummarySource = 'built-in' | `llm:${string}`;

/**
 * A plain-language account of what an action will do, and how risky it looks. Advisory only:
 * it never changes a policy decision.
 */
export interface ActionSummary {
  /** One or two plain sentences: what will happen. */
  readonly text: string;
  readonly risk: Risk;
  readonly signals: readonly RiskSignal[];
  readonly source: SummarySource;
}

/** What the catalog knows about an action. */
export interface CatalogEntry {
  /** What the action does, as a sentence fragment: `Deletes a Proxmox virtual machine`. */
  readonly description: string;
  /** False when the action cannot be undone (raises the risk to at least medium). */
  readonly reversible: boolean;
  /** The least risk a summary of this action reports. */
  readonly defaultRisk: Risk;
}

/**
 * Known actions by action-name glob (`proxmox.vm.delete`, `deploy.*`, `plugin.**`). When several
 * globs match, the most specific wins (more literal segments, then fewer wildcards).
 * @example const catalog: ActionCatalog = { 'deploy.*': { description: 'Deploys a service', reversible: true, defaultRisk: 'medium' } };
 */
export type ActionCatalog = Readonly<Record<string, CatalogEntry>>;
