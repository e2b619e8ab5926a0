// The policy the security suite runs under (imported by *.test.ts only): one rule per kind of
// gate an attacker tries to get past, so each attack meets a gate it would have to defeat.

/** The grant lifetime and request expiry the suite drives the clock past. */
export const GRANT_TTL_MS = 10 * 60_000;
export const EXPIRES_IN_MS = 60 * 60_000;

/**
 * `deploy.*`: one moderator; `proxmox.vm.delete`: the admin; `infra.change`: a member of team
 * infra; `workflow.publish`: the change board, then the release board (carol sits on both);
 * `service.restart` in prod: one moderator; `plugin.install.*`: two moderators; `secret.read`:
 * denied. Everything else is allowed.
 */
export const SECURITY_POLICY = `version: 1
defaults: { decision: allow, expiresIn: 1h, onTimeout: deny, grantTtl: 10m }
groups:
  change-board: { users: [carol] }
  release-board: { users: [carol, erin] }
rules:
  - name: deploys
    match: { action: "deploy.*" }
    require:
      stages:
        - { approvers: { role: moderator }, min: 1 }
    risk: high
  - name: vm-deletes
    match: { action: proxmox.vm.delete }
    require:
      stages:
        - { approvers: { role: admin }, min: 1 }
  - name: infra-changes
    match: { action: infra.change }
    require:
      stages:
        - { approvers: { team: infra }, min: 1 }
  - name: two-boards
    match: { action: workflow.publish }
    require:
      stages:
        - { approvers: { group: change-board }, min: 1 }
        - { approvers: { group: release-board }, min: 1 }
  - name: prod-restarts
    match: { action: service.restart, environment: prod }
    require:
      stages:
        - { approvers: { role: moderator }, min: 1 }
  - name: plugins
    match: { action: "plugin.install.*" }
    require:
      stages:
        - { approvers: { role: moderator }, min: 2 }
  - name: no-secrets
    match: { action: secret.read }
    deny: "Reading secrets is not allowed"
`;

/**
 * Deny by default; alice (named bare, as policy authors write people) deploys without review.
 * For the attack of an agent that takes a user's name.
 */
export const NAMED_REQUESTER_POLICY = `version: 1
defaults: { decision: deny, expiresIn: 1h, onTimeout: deny, grantTtl: 10m }
rules:
  - name: alice-deploys
    match: { action: "deploy.*", requester: alice }
    allow: true
`;
