import { CliError, EXIT } from './cli-error.js';

const UNIT_MS: Readonly<Record<string, number>> = Object.freeze({
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
});

/**
 * A duration written the way policies write them: `90s`, `10m`, `4h`, `30d`, `2w`, or a
 * sum such as `1h30m`.
 * @throws CliError (usage) naming the option.
 */
export function parseDuration(option: string, text: string): number {
  const parts = [...text.matchAll(/(\d+)([smhdw])/g)];
  if (parts.length === 0 || parts.map((part) => part[0]).join('') !== text) {
    throw new CliError(`--${option}: "${text}" is not a duration (such as 90s, 10m, 4h, 30d)`, EXIT.usage);
  }
  const ms = parts.reduce((sum, [, count, unit]) => sum + Number(count) * (UNIT_MS[unit ?? ''] ?? 0), 0);
  if (ms <= 0 || !Number.isSafeInteger(ms)) {
    throw new CliError(`--${option}: "${text}" must be a positive duration`, EXIT.usage);
  }
  return ms;
}
