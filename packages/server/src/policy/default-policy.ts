/**
 * The policy a new installation starts with, written to the policy path on first start
 * when no file is there. Gate shell commands, plugin installs and VM deletion (the seed
 * form), and never allow a recursive delete of `/`.
 */
export const DEFAULT_POLICY_YAML = `# Gatehouse policy. Edit it, check it with \`gatehouse policy lint <file>\`,
# and apply it with \`gatehouse policy apply <file>\` (admin).
version: 1

approvalPolicies:
  - action: shell.execute
    requireApproval: true # any one eligible reviewer other than the requester
  - action: plugin.install.community
    requireModeratorApproval: true # one moderator (or the admin)
  - action: proxmox.vm.delete
    requireAdminApproval: true # the admin

defaults: { decision: allow, expiresIn: 24h, onTimeout: deny, grantTtl: 10m }

rules:
  - name: never-rm-root
    match: { action: shell.execute }
    when: "params.command.matches(r'rm\\\\s+-[a-z]*r[a-z]*f?\\\\s+/(\\\\s|$)')"
    deny: "Recursive delete of / is never allowed"

  - name: force-push
    match: { action: shell.execute, command: "git push*" }
    when: "command.argv.exists(a, a == '--force' || a == '-f')"
    require:
      stages:
        - { approvers: { role: moderator }, min: 1 }
      expiresIn: 1h
    risk: high
`;
