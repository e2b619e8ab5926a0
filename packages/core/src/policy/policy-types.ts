/**
 * The policy AST: what a policy file means, after parsing and validation.
 * Immutable values (deeply readonly, frozen by the parser), versioned with `v`.
 */

import type { ExecutorAssignment } from './policy-executors.js';

/** The AST format version this build reads and writes. */
export const POLICY_AST_VERSION = 1 as const;

/** Roles, from least to most privileged. The admin satisfies every moderator stage. */
export type Role = 'user' | 'moderator' | 'admin';

/** A position in a source file, 1-based, as editors show it. */
export interface SourcePosition {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** How long something lasts, in milliseconds (parsed from `30s`, `10m`, `4h`, `7d`). */
export type DurationMs = number;

/** What happens when a pending request reaches its expiry. */
export type OnTimeout = 'deny' | 'approve' | 'escalate';

/** The risk level of an action, as a rule or the catalog declares it. */
export type Risk = 'low' | 'medium' | 'high' | 'critical';

/** Who may approve one stage. Exactly one selector per entry. */
export type ApproverSelector =
  | { readonly kind: 'role'; readonly role: Role }
  | { readonly kind: 'team'; readonly team: string }
  /** The requester's own team (`team: $requester.team`), resolved when the request is created. */
  | { readonly kind: 'requester-team' }
  | { readonly kind: 'group'; readonly group: string }
  | { readonly kind: 'users'; readonly users: readonly string[] };

/** One stage of an approval: `min` distinct eligible humans must approve. */
export interface Stage {
  /** A reviewer is eligible when any selector admits them. */
  readonly approvers: readonly ApproverSelector[];
  readonly min: number;
  /** How many eligible denials deny the request (default 1). */
  readonly denyMin: number;
  /** Display name, e.g. `prod-deploys#1` when not given. */
  readonly name: string;
}

/** What a `require` outcome demands. */
export interface Requirement {
  readonly stages: readonly Stage[];
  readonly expiresIn: DurationMs;
  readonly onTimeout: OnTimeout;
  readonly grantTtl: DurationMs;
}

/** Emergency override: these roles may approve without the stages, with a justification. */
export interface OverridePolicy {
  readonly by: readonly Role[];
  readonly justificationRequired: boolean;
}

/** The outcome a rule yields when it matches. */
export type RuleOutcome =
  | { readonly kind: 'allow' }
  | { readonly kind: 'deny'; readonly reason: string }
  | { readonly kind: 'require'; readonly requirement: Requirement };

/**
 * What a rule matches on. Every present field must match. Matching reads only
 * server-verified fields and the context; `params` are reachable from `when` only,
 * so a param named `action` or `status` can never shadow a top-level field.
 */
export interface RuleMatch {
  /** Action name globs: `*` is one segment, a trailing `**` one or more, `inst*` a partial segment. */
  readonly actions: readonly string[];
  readonly environments?: readonly string[];
  readonly teams?: readonly string[];
  /** Principal ids of the requester: `agent:ci-bot`, `user:alice`, or a bare name, which names a user. */
  readonly requesters?: readonly string[];
  readonly agents?: readonly string[];
  /** For `shell.execute`: globs over each simple command (`git push*`), see shell decomposition. */
  readonly commands?: readonly string[];
  /**
   * For `shell.execute`: simple commands by name, flags and operands, whatever the spelling
   * of their options. A part meets `command` when it meets any glob or any of these.
   */
  readonly commandPatterns?: readonly CommandPattern[];
}

/**
 * A simple command by its shape. Every key given must match.
 *
 * @example { names: ['rm'], flags: ['recursive'], operands: ['/'] } // rm -rf /, rm -r -f -- //, rm -Rf /*
 */
export interface CommandPattern {
  /** Globs over the command's name (the basename of argv[0]; the whole argv[0] for allow rules). */
  readonly names?: readonly string[];
  /** Globs over the subcommand: `push` in `git -C x push`. */
  readonly subcommands?: readonly string[];
  /** Options that must all be present, in any spelling the command's option table knows. */
  readonly flags?: readonly string[];
  /** Path patterns over the operands: a gate needs any operand to match, an allow rule every one. */
  readonly operands?: readonly string[];
  /** Path patterns over the files the command's redirections write. */
  readonly writes?: readonly string[];
}

/** One rule of a policy. */
export interface Rule {
  readonly name: string;
  readonly match: RuleMatch;
  /** A CEL expression over `action`, `params`, `context`, `requester`, `command` (shell parts). */
  readonly when?: string;
  readonly outcome: RuleOutcome;
  readonly risk?: Risk;
  /** When true, the requester, the user acted for and the agent's owner may approve. Default false. */
  readonly selfApproval: boolean;
  readonly override?: OverridePolicy;
  /** Where the rule was written: `org` or the name of the team whose policy file added it. */
  readonly origin: 'org' | { readonly team: string };
  readonly position: SourcePosition;
}

/** An approval group: users and teams under one name ("operators"). */
export interface ApprovalGroup {
  readonly name: string;
  readonly users: readonly string[];
  readonly teams: readonly string[];
}

/** Policy-wide defaults. */
export interface PolicyDefaults {
  /** Decides only when no rule denies, requires or allows. */
  readonly decision: 'allow' | 'deny';
  readonly expiresIn: DurationMs;
  readonly onTimeout: OnTimeout;
  readonly grantTtl: DurationMs;
}

/** A parsed, validated policy: organisation rules plus any team rules merged in. */
export interface Policy {
  readonly v: typeof POLICY_AST_VERSION;
  readonly defaults: PolicyDefaults;
  readonly groups: ReadonlyMap<string, ApprovalGroup>;
  /** Who besides the requester may consume grants, by action (`executors:`); absent when none. */
  readonly executors?: readonly ExecutorAssignment[];
  /** In file order; team rules come after organisation rules. */
  readonly rules: readonly Rule[];
  /** Teams and users a policy may name, when the caller supplied a directory to validate against. */
  readonly sources: readonly string[];
}

/** One problem found in a policy file. The parser reports all of them at once. */
export interface PolicyDiagnostic {
  readonly position: SourcePosition;
  /** A stable machine code, e.g. `unknown-key`, `invalid-cel`, `duplicate-rule`. */
  readonly code: string;
  /** What is wrong and what was expected, in one sentence. */
  readonly message: string;
}

/** The default defaults: allow what no rule mentions, 24 h to decide, deny on timeout, 10 min grants. */
export const DEFAULT_POLICY_DEFAULTS: PolicyDefaults = Object.freeze({
  decision: 'allow',
  expiresIn: 24 * 60 * 60 * 1000,
  onTimeout: 'deny',
  grantTtl: 10 * 60 * 1000,
});
