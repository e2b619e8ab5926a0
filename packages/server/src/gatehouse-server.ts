import { randomUUID } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import pino, { type Logger } from 'pino';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { createCheckpointSchedule } from './audit/checkpoint-schedule.js';
import type { ServerConfig } from './config/server-config.js';
import { createEventHub, type EventHub } from './events/event-hub.js';
import { connectPostgresFanout } from './events/postgres-fanout.js';
import { followReadModels } from './events/read-model-follower.js';
import { ensureSigningKey, loadKeyRing, rotateSigningKey } from './grants/signing-key-service.js';
import { createHttpApp } from './http/http-app.js';
import { bootstrapAdmin } from './identity/bootstrap-admin.js';
import { createLoginLimiter } from './identity/login-limiter.js';
import { createEmailNotifier } from './notifications/email-notifier.js';
import { loadNotificationsConfig } from './notifications/notifications-config.js';
import { createSmtpMailer } from './notifications/smtp-mailer.js';
import { createWebhookDispatcher } from './notifications/webhook-dispatcher.js';
import { createWebhookService } from './notifications/webhook-service.js';
import { DEFAULT_POLICY_YAML } from './policy/default-policy.js';
import { createPolicyStore } from './policy/policy-store.js';
import { createExpiryWorker } from './requests/expiry-worker.js';
import { createRequestService } from './requests/request-service.js';
import { createSignedGrantIssuer } from './requests/signed-grant-issuer.js';
import { getAuditHead, migrateToLatest, openDatabase } from './storage/index.js';
import { loadLlmConfig } from './summaries/summaries-config.js';
import { createSummarizer } from './summaries/summarizer.js';
import { createSummaryWorker } from './summaries/summary-worker.js';

/** A running Gatehouse: where it listens, and how to stop it. */
export interface RunningGatehouse {
  readonly url: string;
  readonly port: number;
  /** Set when this start created the admin with a generated password (print it once). */
  readonly bootstrap?: { readonly username: string; readonly generatedPassword?: string };
  close(): Promise<void>;
}

// A backstop: rotations reach every node through their audit event; this also drops keys whose grace ended.
const KEY_RING_REFRESH_MS = 60_000;
const CHECKPOINT_EVERY_MS = 60_000;

async function readOrInstallPolicyFile(file: string, log: Logger): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, DEFAULT_POLICY_YAML, { flag: 'wx' }).catch(() => {});
    log.info({ file }, 'installed the example policy');
    return readFile(file, 'utf8');
  }
}

/**
 * The composition root: open and migrate the database, create the first admin, the
 * signing key and the first policy, wire the services, start the timers and serve HTTP.
 * Everything stops in reverse order on `close()`.
 */
export async function startGatehouse(
  config: ServerConfig,
  options: { logger?: Logger; onBootstrap?: (username: string, password: string) => void } = {},
): Promise<RunningGatehouse> {
  const log =
    options.logger ??
    pino({
      level: config.logLevel,
      redact: {
        paths: ['req.headers.authorization', 'req.headers.cookie', '*.password', '*.token'],
        censor: '[redacted]',
      },
    });
  if (config.databaseUrl.startsWith('sqlite:')) await mkdir(config.dataDir, { recursive: true });
  const database = await openDatabase({ url: config.databaseUrl });
  const { db, engine } = database;
  const stops: (() => Promise<void> | void)[] = [() => database.close()];
  try {
    const applied = await migrateToLatest(db);
    if (applied.length > 0) log.info({ migrations: applied }, 'applied migrations');

    const now = () => Date.now();
    const bootstrap = await bootstrapAdmin(
      {
        ...(config.bootstrapAdmin === undefined ? {} : { username: config.bootstrapAdmin }),
        ...(config.bootstrapPassword === undefined ? {} : { password: config.bootstrapPassword }),
      },
      now(),
      db,
    );
    if (bootstrap.created && bootstrap.generatedPassword !== undefined) {
      options.onBootstrap?.(bootstrap.username, bootstrap.generatedPassword);
    }

    let keyRing = await ensureSigningKey(db, now());
    const refreshKeys = setInterval(() => {
      loadKeyRing(db, now())
        .then((ring) => {
          keyRing = ring;
        })
        .catch((error: unknown) => log.error({ err: error }, 'could not reload the signing keys'));
    }, KEY_RING_REFRESH_MS);
    refreshKeys.unref();
    stops.push(() => clearInterval(refreshKeys));

    const policies = await createPolicyStore(db);
    const installed = await policies.installIfNone(
      await readOrInstallPolicyFile(config.policyPath, log),
      now(),
    );
    if (installed)
      log.info(
        { version: policies.current().version, file: config.policyPath },
        'activated the first policy',
      );

    const head = await getAuditHead(db);
    let events: EventHub = createEventHub(head?.seq ?? 0);
    if (engine === 'postgres') {
      const fanout = await connectPostgresFanout(config.databaseUrl, db, events, {
        onError: (error) => log.error({ err: error }, 'event fan-out failed; listening again'),
        applicationName: `gatehouse-events:${config.nodeId}`,
      });
      events = fanout.hub;
      stops.push(() => fanout.close());
    }
    // Cached read models follow the audit events that change them, from this node or any other.
    const unfollow = followReadModels(events, {
      reloadPolicy: () => policies.reload(),
      reloadKeys: async () => {
        keyRing = await loadKeyRing(db, now());
      },
      onError: (error) => log.error({ err: error }, 'could not reload a read model'),
    });
    stops.push(() => {
      unfollow();
    });

    const deps = {
      db,
      policies,
      grants: createSignedGrantIssuer(config, () => keyRing),
      events,
      now,
      newId: () => randomUUID(),
    };
    const requests = createRequestService(deps);
    const expiry = createExpiryWorker(deps, config.nodeId, {
      onError: (error) => log.error({ err: error }, 'expiry worker failed'),
    });
    const caughtUp = await expiry.runDue();
    if (caughtUp > 0) log.info({ expired: caughtUp }, 'applied timeouts that fell due while stopped');
    expiry.start();
    stops.push(() => expiry.stop());

    const checkpoints = createCheckpointSchedule({
      db,
      everyMs: CHECKPOINT_EVERY_MS,
      keyRing: () => keyRing,
      onError: (error) => log.error({ err: error }, 'audit checkpoint failed'),
    });
    checkpoints.start();
    stops.push(() => checkpoints.stop());

    // Off the request path: summaries, webhooks and email follow committed events.
    const notifications = loadNotificationsConfig();
    const llm = loadLlmConfig();
    const summaries = createSummaryWorker({
      db,
      events,
      summarizer: createSummarizer(llm === undefined ? {} : { llm }),
      now,
      onError: (error) => log.warn({ err: error }, 'summary failed; the built-in one stands'),
    });
    await summaries.catchUp();
    stops.push(() => summaries.stop());
    const dispatcher = createWebhookDispatcher({
      db,
      now,
      nodeId: config.nodeId,
      targets: notifications.webhooks,
      events,
      onError: (error) => log.error({ err: error }, 'webhook dispatch failed'),
    });
    dispatcher.start();
    stops.push(() => dispatcher.stop());
    if (notifications.smtp !== undefined) {
      const mail = createEmailNotifier({
        db,
        events,
        mailer: createSmtpMailer(notifications.smtp),
        publicUrl: config.publicUrl,
        now,
        summaryOf: (request) => summaries.ensure(request),
        policyGroups: () => policies.current().policy.groups,
        onError: (error) => log.warn({ err: error }, 'email notification failed'),
      });
      stops.push(() => mail.stop());
    }

    const metrics = new Registry();
    collectDefaultMetrics({ register: metrics });
    const app = createHttpApp({
      db,
      config,
      requests,
      policies,
      events,
      keyRing: () => keyRing,
      // Rotation over the API signs with the new key on this node at once; others on its audit event.
      rotateKeys: async (actor) => {
        keyRing = await rotateSigningKey(db, now(), actor);
        return { kid: keyRing.active.kid };
      },
      now,
      loginLimiter: createLoginLimiter(),
      webhooks: createWebhookService({ db, now, targets: notifications.webhooks }),
      webDistDir: fileURLToPath(new URL('../../web/dist', import.meta.url)),
      logger: log,
      metrics,
      ready: async () => {
        await getAuditHead(db);
        policies.current();
        return true;
      },
    });
    const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
      const listening = serve({ fetch: app.fetch, hostname: config.host, port: config.port }, () =>
        resolve(listening),
      );
      listening.once('error', reject);
    });
    const address = server.address();
    const port = typeof address === 'object' && address !== null ? address.port : config.port;
    stops.push(
      () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          // Long-polls and SSE streams hold connections open; end them so shutdown is prompt.
          (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
        }),
    );
    const url = `http://${config.host}:${port}`;
    log.info({ url, engine, node: config.nodeId }, 'gatehouse is listening');
    return {
      url,
      port,
      ...(bootstrap.created ? { bootstrap: { username: bootstrap.username } } : {}),
      async close() {
        for (const stop of stops.reverse()) await stop();
      },
    };
  } catch (error) {
    for (const stop of stops.reverse()) await Promise.resolve(stop()).catch(() => {});
    throw error;
  }
}
