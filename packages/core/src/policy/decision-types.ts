import type {
  ApproverSelector,
  DurationMs,
  OnTimeout,
  OverridePolicy,
  Risk,
  Role,
  SourcePosition,
} from './policy-types.js';

/** Who asks: a human user or an agent (which is always owned by a user or a team). */
export interface Principal {
  readonly kind: 'user' | 'agent';
  /** Stable id, e.g. `alice` or `ci-bot`. Matched as `user:alice` / `agent:ci-bot` or bare. */
  readonly id: string;
  /** For users: their role. Agents have none and can never review. */
  readonly role?: Role;
  /** Teams the principal belongs to (for agents: the owning team, if any). */
  readonly teams: readonly string[];
  /** For agents: the user who owns the agent, if a user owns it. */
  readonly owner?: string;
  /** For agents owned by a team: the users who answer for it (the team's maintainers). */
  readonly coOwners?: readonly string[];
}

/** The context fields an action carries. Server-verified fields are set by the server, not the agent. */
export interface ActionContext {
  readonly environment?: string;
  readonly team?: string;
  readonly workflow?: string;
  readonly runId?: string;
  /** The agent's own risk hint: claimed, not verified. */
  readonly risk?: string;
  /** The agent's stated reason: claimed, not verified. */
  readonly reason?: string;
  readonly [key: string]: unknown;
}

/** Everything the evaluator looks at for one action. */
export interface ActionInput {
  /** Dotted action name, e.g. `shell.execute`. */
  readonly action: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly context: ActionContext;
  readonly requester: Principal;
  /** The user the agent acts for, when it says so. */
  readonly onBehalfOf?: string;
}

/** One simple command found inside a shell command line. */
export interface ShellPart {
  /** The words after quote removal, with `sudo`/`env`/assignments stripped: `['git','push','--force']`. */
  readonly argv: readonly string[];
  /** `argv` joined by single spaces: what `match.commands` globs see. */
  readonly text: string;
  /** Wrappers that were stripped in front of it (`sudo`, `env`, `xargs`, `bash -c`). */
  readonly wrappers: readonly string[];
  /** True when a word was built at run time (`$VAR`, `$(…)`), so `argv` is not fully known. */
  readonly dynamic: boolean;
  /**
   * True when what this part runs cannot be known before it runs: a command name built at
   * run time, or a script read from a pipe, a file descriptor, a process substitution or a
   * run-time string (`curl … | sh`, `bash -c "$X"`, `python -c …`). Every gate meets an
   * opaque part (its command and `when` conditions count as met); no allow rule does.
   */
  readonly opaque: boolean;
  /** Files the command's redirections write (`> out.txt`, `>> /etc/hosts`, `&> log`), as written. */
  readonly writes: readonly string[];
}

/** Result of decomposing a shell command line. */
export type ShellDecomposition =
  | { readonly ok: true; readonly parts: readonly ShellPart[] }
  | { readonly ok: false; readonly error: string };

/** Why a rule matched, or the first condition that failed. */
export interface ConditionTrace {
  /** `action`, `environment`, `team`, `requester`, `agent`, `command`, `when`. */
  readonly condition: string;
  readonly ok: boolean;
  /** Human-readable: `action "shell.execute" matches "shell.*"`. */
  readonly detail: string;
}

/** A rule that matched, and through which view of the input (the whole, or one shell part). */
export interface RuleMatchResult {
  readonly rule: string;
  readonly position: SourcePosition;
  readonly outcome: 'allow' | 'deny' | 'require';
  /** The shell part that matched, when the rule matched on a part rather than the whole command. */
  readonly viaShellPart?: string;
  readonly trace: readonly ConditionTrace[];
}

/** A rule that almost matched: the action matched but a later condition failed. */
export interface NearMiss {
  readonly rule: string;
  readonly position: SourcePosition;
  readonly failed: ConditionTrace;
}

/** A stage in a decided requirement, tagged with the rule that asked for it. */
export interface DecidedStage {
  readonly name: string;
  readonly rule: string;
  readonly approvers: readonly ApproverSelector[];
  readonly min: number;
  readonly denyMin: number;
}

/** The conjunction of every matching rule's requirement. */
export interface CombinedRequirement {
  /** All stages of all requiring rules, in rule order; identical stages appear once. */
  readonly stages: readonly DecidedStage[];
  /** The shortest of the rules' expiries. */
  readonly expiresIn: DurationMs;
  /** The most restrictive: deny before escalate before approve. */
  readonly onTimeout: OnTimeout;
  /** The shortest grant lifetime. */
  readonly grantTtl: DurationMs;
  /** True only when every requiring rule allows self-approval. */
  readonly selfApproval: boolean;
  /** Roles every requiring rule lets override (intersection); absent when any rule has none. */
  readonly override?: OverridePolicy;
}

/** The evaluator's answer for one action. */
export type Decision =
  | {
      readonly outcome: 'allow';
      readonly reason: 'rule' | 'default';
      readonly matched: readonly RuleMatchResult[];
      readonly risk: Risk;
      readonly grantTtl: DurationMs;
      readonly policyVersion: string;
    }
  | {
      readonly outcome: 'deny';
      readonly reason: 'rule' | 'default' | 'unparseable-command' | 'non-canonical-action';
      /** Every denying rule's reason, in rule order. */
      readonly reasons: readonly { readonly rule: string; readonly reason: string }[];
      readonly matched: readonly RuleMatchResult[];
      readonly risk: Risk;
      readonly policyVersion: string;
    }
  | {
      readonly outcome: 'require';
      readonly matched: readonly RuleMatchResult[];
      readonly requirement: CombinedRequirement;
      readonly risk: Risk;
      readonly policyVersion: string;
    };

/** `explain`: the decision plus every near miss and the shell parts considered. */
export interface Explanation {
  readonly decision: Decision;
  readonly nearMisses: readonly NearMiss[];
  readonly shell?: ShellDecomposition;
}
