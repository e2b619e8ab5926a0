import { readFileSync } from 'node:fs';
import path from 'node:path';
import { GatehouseError } from '@gatehouse/core';

/** Everything the server needs to start, from a config file and the environment. */
export interface ServerConfig {
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
  /** `sqlite:<path>` (the default, under dataDir) or `postgres://…`. */
  readonly databaseUrl: string;
  /** The policy file installed on first start and watched for GitOps applies. */
  readonly policyPath: string;
  /** The URL users reach the server at, for links; defaults to http://host:port. */
  readonly publicUrl: string;
  /** The `aud` of the grants this server issues. */
  readonly grantAudience: string;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  readonly bootstrapAdmin?: string;
  readonly bootstrapPassword?: string;
  /** A name for this node in logs and timer claims. */
  readonly nodeId: string;
}

/** A configuration value is missing or malformed: names the variable or key. */
export class ConfigError extends GatehouseError {
  constructor(key: string, message: string) {
    super('config-invalid', `${key}: ${message}`, { data: { key } });
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

type RawConfig = Partial<Record<keyof ServerConfig, unknown>>;

function readConfigFile(file: string): RawConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new ConfigError('GATEHOUSE_CONFIG', `cannot read ${file}`);
  }
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not an object');
    return value as RawConfig;
  } catch (error) {
    throw new ConfigError('GATEHOUSE_CONFIG', `${file} is not a JSON object (${(error as Error).message})`);
  }
}

function stringOf(key: string, value: unknown, fallback: string): string {
  if (value === undefined || value === '') return fallback;
  if (typeof value !== 'string') throw new ConfigError(key, 'expected a string');
  return value;
}

/**
 * Resolve the configuration: environment variables win over the JSON file named by
 * GATEHOUSE_CONFIG (or passed), which wins over the defaults (127.0.0.1:8080, ./data).
 */
export function loadServerConfig(
  env: NodeJS.ProcessEnv = process.env,
  file = env.GATEHOUSE_CONFIG,
): ServerConfig {
  const raw: RawConfig = file ? readConfigFile(file) : {};
  const host = stringOf('GATEHOUSE_HOST', env.GATEHOUSE_HOST ?? raw.host, '127.0.0.1');
  const portText = env.GATEHOUSE_PORT ?? env.PORT ?? raw.port ?? 8080;
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new ConfigError('GATEHOUSE_PORT', 'expected a port number 0-65535');
  const dataDir = path.resolve(
    stringOf('GATEHOUSE_DATA_DIR', env.GATEHOUSE_DATA_DIR ?? raw.dataDir, './data'),
  );
  const databaseUrl = stringOf(
    'DATABASE_URL',
    env.DATABASE_URL ?? raw.databaseUrl,
    `sqlite:${path.join(dataDir, 'gatehouse.db')}`,
  );
  if (!/^(sqlite:|postgres:\/\/|postgresql:\/\/)/.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL', 'expected sqlite:<path> or postgres://user@host:port/database');
  }
  const policyPath = path.resolve(
    stringOf('GATEHOUSE_POLICY', env.GATEHOUSE_POLICY ?? raw.policyPath, path.join(dataDir, 'policy.yaml')),
  );
  const publicUrl = stringOf(
    'GATEHOUSE_PUBLIC_URL',
    env.GATEHOUSE_PUBLIC_URL ?? raw.publicUrl,
    `http://${host}:${port}`,
  );
  const logLevel = stringOf('GATEHOUSE_LOG_LEVEL', env.GATEHOUSE_LOG_LEVEL ?? raw.logLevel, 'info');
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    throw new ConfigError('GATEHOUSE_LOG_LEVEL', `expected one of ${LOG_LEVELS.join(', ')}`);
  }
  const bootstrapAdmin = env.GATEHOUSE_BOOTSTRAP_ADMIN || undefined;
  const bootstrapPassword = env.GATEHOUSE_BOOTSTRAP_PASSWORD || undefined;
  if (bootstrapPassword !== undefined && bootstrapPassword.length < 12) {
    throw new ConfigError('GATEHOUSE_BOOTSTRAP_PASSWORD', 'must be at least 12 characters');
  }
  return Object.freeze({
    host,
    port,
    dataDir,
    databaseUrl,
    policyPath,
    publicUrl: publicUrl.replace(/\/+$/, ''),
    grantAudience: stringOf(
      'GATEHOUSE_GRANT_AUDIENCE',
      env.GATEHOUSE_GRANT_AUDIENCE ?? raw.grantAudience,
      'gatehouse',
    ),
    logLevel: logLevel as ServerConfig['logLevel'],
    ...(bootstrapAdmin === undefined ? {} : { bootstrapAdmin }),
    ...(bootstrapPassword === undefined ? {} : { bootstrapPassword }),
    nodeId: stringOf('GATEHOUSE_NODE_ID', env.GATEHOUSE_NODE_ID ?? raw.nodeId, `node-${process.pid}`),
  });
}
