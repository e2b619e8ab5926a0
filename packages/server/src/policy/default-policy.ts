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
  # Matched by name, flags and operands, so every spelling meets it: rm -rf /, rm -r -f /,
  # rm --recursive --force -- //, /bin/rm -Rf /*. A path that may be / ($DIR, ., *, ~) counts too.
  - name: never-rm-root
    match:
      action: shell.execute
      command: { name: rm, flags: [recursive], operands: ['/'] }
    deny: "Recursive delete of / (or of a path that may be /: $VAR, ., *, ~) is never allowed"

  - name: force-push
    match:
      action: shell.execute
      command:
        - { name: git, subcommand: push, flags: [force] } # -f, --force, +refspec
        - { name: git, subcommand: push, flags: [force-with-lease] }
    require:
      stages:
        - { approvers: { role: moderator }, min: 1 }
      expiresIn: 1h
    risk: high
`;
