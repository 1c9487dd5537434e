import { describe, expect, it } from 'vitest';
import { compileTrustProxy, socketAddress } from './socket-address';

describe(socketAddress.name, () => {
  const privateProxies = compileTrustProxy('loopback, linklocal, uniquelocal');

  it.each([
    ['the peer when nothing is forwarded', '203.0.113.9', undefined, '203.0.113.9'],
    ['the peer when it is not trusted, whatever it forwards', '203.0.113.9', '198.51.100.1', '203.0.113.9'],
    ['the forwarded client behind a loopback proxy', '127.0.0.1', '198.51.100.1', '198.51.100.1'],
    ['the first untrusted hop of a chain', '10.0.0.2', '198.51.100.1, 203.0.113.5, 10.0.0.1', '203.0.113.5'],
    ['the farthest hop when all are trusted', '::1', '10.0.0.7', '10.0.0.7'],
    ['the peer with an IPv4-mapped IPv6 loopback', '::ffff:127.0.0.1', '198.51.100.4', '198.51.100.4'],
  ])('gives %s', (_label, peer, forwarded, expected) => {
    expect(socketAddress(peer, forwarded, privateProxies)).toBe(expected);
  });

  it('trusts nothing when trust proxy is false', () => {
    expect(socketAddress('127.0.0.1', '198.51.100.1', compileTrustProxy(false))).toBe('127.0.0.1');
  });

  it('trusts a hop count', () => {
    expect(socketAddress('192.0.2.1', '198.51.100.1, 198.51.100.2', compileTrustProxy(1))).toBe('198.51.100.2');
  });
});
