import { describe, expect, it } from 'vitest';
import { isAllowedHost, isAllowedOrigin } from './http-host-check.js';

const loopback = { host: '127.0.0.1' };

describe('Host and Origin checks', () => {
  it('accepts loopback names on the bound port only, and names given with --allowed-host', () => {
    expect(isAllowedHost('127.0.0.1:8080', 8080, loopback)).toBe(true);
    expect(isAllowedHost('LOCALHOST:8080', 8080, loopback)).toBe(true);
    expect(isAllowedHost('[::1]', 8080, loopback)).toBe(true);
    expect(isAllowedHost('localhost:9090', 8080, loopback)).toBe(false);
    expect(isAllowedHost('evil.example:8080', 8080, loopback)).toBe(false);
    expect(isAllowedHost(undefined, 8080, loopback)).toBe(false);
    const proxied = { host: '0.0.0.0', allowedHosts: ['mcp.example.com', 'other.example:443'] };
    expect(isAllowedHost('mcp.example.com:8443', 8080, proxied)).toBe(true);
    expect(isAllowedHost('other.example:443', 8080, proxied)).toBe(true);
    expect(isAllowedHost('other.example:80', 8080, proxied)).toBe(false);
    expect(isAllowedHost('0.0.0.0:8080', 8080, proxied)).toBe(true);
  });

  it('accepts no Origin (non-browser clients), loopback pages on this port, and listed origins', () => {
    expect(isAllowedOrigin(undefined, 8080, loopback)).toBe(true);
    expect(isAllowedOrigin('http://localhost:8080', 8080, loopback)).toBe(true);
    expect(isAllowedOrigin('http://localhost:3000', 8080, loopback)).toBe(false);
    expect(isAllowedOrigin('https://evil.example', 8080, loopback)).toBe(false);
    expect(isAllowedOrigin('null', 8080, loopback)).toBe(false);
    expect(isAllowedOrigin('https://app.example', 8080, { ...loopback, allowedOrigins: ['https://app.example'] })).toBe(true);
  });
});
