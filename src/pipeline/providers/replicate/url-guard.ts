import dns from 'node:dns';
import net from 'node:net';
import { NonRetryableError } from '../../../errors.ts';

/** Where model outputs may be fetched from; anything else is refused before connecting. */
export interface UrlPolicy {
  /** Host names (their subdomains included) or exact IP literals. */
  hostAllowlist: readonly string[];
  /** Test-only: plain http, and only to 127.0.0.1 (the loopback fakes). */
  allowInsecureLoopback: boolean;
}

const refuse = (why: string) => new NonRetryableError('unsafe_url', `refused to download: ${why}`);

const bareHost = (host: string) =>
  host
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '');

export function hostAllowed(host: string, allowlist: readonly string[]): boolean {
  const h = bareHost(host);
  return allowlist.some((entry) => {
    const e = bareHost(entry);
    if (!e) return false;
    // An IP entry allows that address only; a name allows itself and its subdomains.
    return net.isIP(e) ? h === e : h === e || h.endsWith(`.${e}`);
  });
}

/** Addresses a public CDN never resolves to: metadata services, LANs, loopback. */
export function isPrivateAddress(ip: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return isPrivateAddress(mapped[1]!);
  if (net.isIPv4(ip)) {
    const [a, b] = ip.split('.').map(Number) as [number, number];
    return (
      a === 0 ||
      a === 10 ||
      a === 127 ||
      a >= 224 ||
      (a === 100 && b >= 64 && b <= 127) ||
      (a === 169 && b === 254) ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168)
    );
  }
  const v6 = ip.toLowerCase();
  return v6 === '::' || v6 === '::1' || /^f[cd]/.test(v6) || /^fe[89ab]/.test(v6) || /^ff/.test(v6);
}

/** Parses and checks a URL against the policy; the only way a download URL is accepted. */
export function checkUrl(raw: string, policy: UrlPolicy): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw refuse('not a valid URL');
  }
  const host = bareHost(url.hostname);
  if (url.protocol === 'http:') {
    if (!(policy.allowInsecureLoopback && host === '127.0.0.1'))
      throw refuse(`plain http is not allowed (${host})`);
  } else if (url.protocol !== 'https:') {
    throw refuse(`the ${url.protocol} scheme is not allowed`);
  }
  if (url.username || url.password) throw refuse('credentials in the URL');
  if (!hostAllowed(host, policy.hostAllowlist)) throw refuse(`host ${host} is not on MEDIA_HOST_ALLOWLIST`);
  return url;
}

type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | dns.LookupAddress[],
  family?: number,
) => void;

/**
 * A `lookup` for http(s).request that refuses names resolving to private addresses (DNS
 * rebinding of an allow-listed name), unless that address is itself on the allow-list. The
 * checked address is the one connected to, so there is no gap between check and use.
 */
export function guardedLookup(allowlist: readonly string[]) {
  return (hostname: string, options: dns.LookupOptions, callback: LookupCallback) => {
    dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '');
      const list = addresses as dns.LookupAddress[];
      const bad = list.find((a) => isPrivateAddress(a.address) && !allowlist.includes(a.address));
      if (bad)
        return callback(refuse(`${hostname} resolves to a private address`) as NodeJS.ErrnoException, '');
      if (options.all) return callback(null, list);
      const first = list[0];
      if (!first) return callback(refuse(`${hostname} did not resolve`) as NodeJS.ErrnoException, '');
      callback(null, first.address, first.family);
    });
  };
}
