import { describe, expect, it } from 'vitest';
import { readEventStream } from './event-stream-reader.test-support.js';
import { createSecurityWorld } from './security-world.test-support.js';

const DENY_BY_DEFAULT = `version: 1
defaults: { decision: deny, expiresIn: 1h, onTimeout: deny, grantTtl: 10m }
rules:
  - name: alice-deploys
    match: { action: "deploy.*", requester: alice }
    allow: true
  - name: team-stage
    match: { action: "team.change" }
    require:
      stages:
        - { approvers: { team: $requester.team }, min: 1 }
  - name: mods
    match: { action: "mod.change" }
    require:
      stages:
        - { approvers: { role: moderator }, min: 1 }
`;

describe('probe', () => {
  it('P1/P2 agent named like a user', async () => {
    const w = await createSecurityWorld('sqlite', DENY_BY_DEFAULT);
    const made = await w.send('POST', '/v1/agents', { as: 'bob', body: { name: 'alice' } });
    console.log('P1 create agent alice by bob', made.status, JSON.stringify(made.body));
    if (made.status === 201) {
      const tok = await w.send('POST', '/v1/tokens', { as: 'bob', body: { agentId: 'alice' } });
      const sub = await w.send('POST', '/v1/requests', { token: tok.body.token, body: { action: 'deploy.production', params: {} } });
      console.log('P2 agent alice deploys', sub.status, JSON.stringify(sub.body.decision), sub.body.request?.requester, !!sub.body.grant);
      const c = await w.send('POST', '/v1/grants/consume', { token: tok.body.token, body: { grant: sub.body.grant } });
      console.log('P2 consume', c.status);
    }
    await w.dispose();
  });
  it('P3 team maintainer approves team agent request', async () => {
    const w = await createSecurityWorld('sqlite', DENY_BY_DEFAULT);
    const admin = w.t.principals.admin!;
    await w.t.directory.createTeam(admin, 'web', w.t.context.now());
    await w.t.directory.addTeamMember(admin, 'web', 'mod', 'maintainer', w.t.context.now());
    await w.t.directory.addTeamMember(admin, 'web', 'erin', 'member', w.t.context.now());
    const modSession = await w.t.signIn('mod');
    const made = await w.send('POST', '/v1/agents', { cookie: modSession.cookie, csrf: modSession.csrfToken, body: { name: 'web-bot', owner: { kind: 'team', id: 'web' } } });
    console.log('P3 create', made.status, JSON.stringify(made.body));
    const tok = await w.send('POST', '/v1/tokens', { as: 'mod', body: { agentId: 'web-bot' } });
    console.log('P3 token', tok.status);
    for (const action of ['mod.change', 'team.change']) {
      const sub = await w.send('POST', '/v1/requests', { token: tok.body.token, body: { action, params: {} } });
      console.log('P3 submit', action, sub.status, sub.body.request?.status, JSON.stringify(sub.body.request?.stages));
      const rv = await w.review('mod', sub.body.request.id, 'approve');
      console.log('P3 mod approves own team agent', action, rv.status, rv.body.status ?? rv.body.reason);
    }
    await w.dispose();
  });
  it('P4 SSE after revocation', async () => {
    const w = await createSecurityWorld('sqlite');
    const tok = await w.send('POST', '/v1/tokens', { as: 'mod', body: {} });
    const res = await w.t.app.request('/v1/events', { headers: { authorization: `Bearer ${tok.body.token}` } });
    const stream = readEventStream(res);
    const del = await w.send('DELETE', `/v1/tokens/${tok.body.id}`, { as: 'mod' });
    console.log('P4 revoke', del.status);
    await w.submit('ci-bot', { action: 'deploy.production', params: {} });
    const ev = await Promise.race([stream.next().then((e) => e.event), new Promise((r) => setTimeout(() => r('timeout'), 1000))]);
    console.log('P4 event after revocation:', ev);
    await stream.close();
    await w.dispose();
  });
  it('P5 onBehalfOf admin DoS and visibility', async () => {
    const w = await createSecurityWorld('sqlite');
    const { id } = await w.submit('ci-bot', { action: 'proxmox.vm.delete', params: {}, onBehalfOf: 'admin' });
    const rv = await w.review('admin', id, 'approve');
    console.log('P5 admin approves', rv.status, rv.body.reason);
    const ghost = await w.send('POST', '/v1/requests', { as: 'ci-bot', body: { action: 'deploy.production', params: {}, onBehalfOf: 'nobody-at-all' } });
    console.log('P5 onBehalfOf unknown user', ghost.status);
    await w.dispose();
  });
});
