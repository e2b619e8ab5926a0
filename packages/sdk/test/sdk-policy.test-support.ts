// The policy the SDK suites run under (imported by *.test.ts only).

/** deploy.* waits for a moderator; report.publish expires after a second; secret.read is denied; the rest is allowed. */
export const SDK_TEST_POLICY = `version: 1
defaults: { decision: allow, expiresIn: 1h, onTimeout: deny, grantTtl: 10m }
rules:
  - name: deploys-need-a-moderator
    match: { action: "deploy.*" }
    require:
      stages:
        - { approvers: { role: moderator }, min: 1 }
  - name: reports-expire-fast
    match: { action: report.publish }
    require:
      stages:
        - { approvers: { role: moderator }, min: 1 }
      expiresIn: 1s
  - name: shell-needs-a-moderator
    match: { action: shell.execute }
    require:
      stages:
        - { approvers: { role: moderator }, min: 1 }
  - name: never-rm-root
    match: { action: shell.execute }
    when: "params.argv.exists(a, a == '/')"
    deny: "Recursive delete of / is never allowed"
  - name: no-secrets
    match: { action: secret.read }
    deny: "Reading secrets is not allowed"
`;
