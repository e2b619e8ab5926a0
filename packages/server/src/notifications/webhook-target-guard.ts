import { lookup as dnsLookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/** Which webhook targets are allowed besides public addresses. */
export interface WebhookTargetPolicy {
  /** Allow loopback, private, link-local and metadata addresses (tests, all-internal setups). */
  readonly allowPrivateTargets: boolean;
  /** Host names allowed whatever they resolve to (`hooks.internal.example`), matched case-insensitively. */
  readonly allowedHosts?: readonly string[];
}

/** One resolved address of a target host. */
export interface ResolvedAddress {
  readonly address: string;
  readonly family: 4 | 6;
}

/** Resolves a host name to all its addresses (the DNS port; tests may pass their own). */
export type ResolveHost = (hostname: string) => Promise<readonly ResolvedAddress[]>;

/** Why a target was refused: a stable code and a sentence that names no secret. */
export type TargetRefusalCode =
  | 'invalid-url'
  | 'scheme-not-allowed'
  | 'credentials-in-url'
  | 'unresolvable'
  | 'target-not-allowed';

/** A target that may be called, pinned to the addresses that were checked; or why not. */
export type TargetCheck =
  | { readonly ok: true; readonly url: URL; readonly addresses: readonly ResolvedAddress[] }
  | { readonly ok: false; readonly code: TargetRefusalCode; readonly reason: string };

/** Resolves with the system resolver, every address, in the order it gives them. */
export const resolveWithDns: ResolveHost = async (hostname) => {
  const found = await dnsLookup(hostname, { all: true, verbatim: true });
  return found.map((entry) => ({ address: entry.address, family: entry.family === 6 ? 6 : 4 }));
};

// Loopback, private, link-local (cloud metadata lives at 169.254.169.254), unique-local, "this network",
// carrier-grade NAT, multicast and reserved ranges: nothing a public webhook receiver lives in.
const BLOCKED = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
  ['100.100.100.200', 32], // Alibaba Cloud's metadata service
] as const) {
  BLOCKED.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fe80::', 10],
  ['fec0::', 10],
  ['fc00::', 7], // AWS's IPv6 metadata service, fd00:ec2::254, is in here
  ['ff00::', 8],
  ['64:ff9b::', 96],
  ['2001:db8::', 32],
] as const) {
  BLOCKED.addSubnet(network, prefix, 'ipv6');
}
const METADATA_HOSTS = new Set(['metadata', 'metadata.google.internal', 'metadata.goog', 'instance-data']);

/** True when `address` is loopback, private, link-local, unique-local, metadata or otherwise not public. */
export function isBlockedAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return true;
  // IPv4-mapped IPv6 (::ffff:127.0.0.1) is matched against the IPv4 ranges by BlockList itself.
  return BLOCKED.check(address, family === 6 ? 'ipv6' : 'ipv4');
}

/**
 * Checks a webhook target before every use (at subscription time and at each delivery, since DNS
 * may change): http(s) only, no credentials in the URL, and unless the policy allows it, every
 * address the host resolves to must be public. The addresses checked are returned so the caller
 * connects to exactly those (no second lookup an attacker's DNS could answer differently).
 */
export async function checkWebhookTarget(
  rawUrl: string,
  policy: WebhookTargetPolicy,
  resolve: ResolveHost = resolveWithDns,
): Promise<TargetCheck> {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return refused('invalid-url', 'the URL is not valid');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return refused(
      'scheme-not-allowed',
      `only http and https targets are allowed, not ${url.protocol.replace(':', '')}`,
    );
  }
  if (url.username !== '' || url.password !== '') {
    return refused(
      'credentials-in-url',
      'the URL must not hold credentials (they would be shown and logged)',
    );
  }
  const host = url.hostname
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '')
    .toLowerCase();
  if (host === '') return refused('invalid-url', 'the URL has no host');
  const exempt =
    policy.allowPrivateTargets ||
    (policy.allowedHosts ?? []).some((allowed) => allowed.toLowerCase() === host);
  if (!exempt && METADATA_HOSTS.has(host)) {
    return refused('target-not-allowed', `${host} is a cloud metadata service`);
  }
  let addresses: readonly ResolvedAddress[];
  const literal = isIP(host);
  if (literal !== 0) {
    addresses = [{ address: host, family: literal === 6 ? 6 : 4 }];
  } else {
    try {
      addresses = await resolve(host);
    } catch {
      return refused('unresolvable', `${host} does not resolve`);
    }
    if (addresses.length === 0) return refused('unresolvable', `${host} does not resolve`);
  }
  if (!exempt) {
    const blocked = addresses.find((entry) => isBlockedAddress(entry.address));
    if (blocked !== undefined) {
      return refused(
        'target-not-allowed',
        `${host} resolves to ${blocked.address}, a loopback, private, link-local or metadata address`,
      );
    }
  }
  return Object.freeze({ ok: true, url, addresses: Object.freeze([...addresses]) });
}

function refused(code: TargetRefusalCode, reason: string): TargetCheck {
  return Object.freeze({ ok: false, code, reason });
}
