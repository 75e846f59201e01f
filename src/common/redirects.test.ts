import { describe, expect, it } from 'vitest';
import { followRedirects, redirectedRequest, type RedirectRequest } from './redirects.js';

interface Answer { status: number; location?: string }

/** A scripted server: path -> answer; records every request it is sent. */
function script(answers: Record<string, Answer>) {
  const sent: string[] = [];
  const discarded: number[] = [];
  return {
    sent,
    discarded,
    options: (extra: { maxRedirects: number; sameOrigin?: boolean }) => ({
      ...extra,
      send: async (r: RedirectRequest) => {
        sent.push(`${r.method} ${r.url.href}${r.body ? ` ${r.body}` : ''}`);
        return answers[r.url.href] ?? { status: 404 };
      },
      statusOf: (a: Answer) => a.status,
      locationOf: (a: Answer) => a.location,
      discard: async (a: Answer) => void discarded.push(a.status),
    }),
  };
}

const start = (url: string, method = 'GET', body?: string): RedirectRequest => ({ url: new URL(url), method, body });

describe('followRedirects', () => {
  it('follows relative and absolute locations to a final answer, discarding each redirect body', async () => {
    const s = script({
      'https://a.example/1': { status: 302, location: '/2' },
      'https://a.example/2': { status: 307, location: 'https://b.example/3' },
      'https://b.example/3': { status: 200 },
    });
    const out = await followRedirects(start('https://a.example/1'), s.options({ maxRedirects: 5 }));
    expect(out).toMatchObject({ kind: 'final', response: { status: 200 }, hops: 2 });
    expect(out.kind === 'final' && out.request.url.href).toBe('https://b.example/3');
    expect(s.sent).toEqual(['GET https://a.example/1', 'GET https://a.example/2', 'GET https://b.example/3']);
    expect(s.discarded).toEqual([302, 307]);
  });

  it('stops at maxRedirects without sending the next hop', async () => {
    const s = script({ 'https://a.example/loop': { status: 308, location: '/loop' } });
    expect(await followRedirects(start('https://a.example/loop'), s.options({ maxRedirects: 3 }))).toMatchObject({ kind: 'refused', why: 'too-many', status: 308 });
    expect(s.sent).toHaveLength(4);
    expect(await followRedirects(start('https://a.example/loop'), s.options({ maxRedirects: 0 }))).toMatchObject({ kind: 'refused', why: 'too-many' });
  });

  it('refuses another origin when asked to stay on the first', async () => {
    const s = script({ 'https://a.example/1': { status: 302, location: 'https://evil.example/x' } });
    const out = await followRedirects(start('https://a.example/1'), s.options({ maxRedirects: 5, sameOrigin: true }));
    expect(out).toMatchObject({ kind: 'refused', why: 'cross-origin' });
    expect(out.kind === 'refused' && out.to.origin).toBe('https://evil.example');
    expect(s.sent).toEqual(['GET https://a.example/1']);
  });

  it('treats a redirect status without a Location as the final answer', async () => {
    const s = script({ 'https://a.example/1': { status: 302 } });
    expect(await followRedirects(start('https://a.example/1'), s.options({ maxRedirects: 5 }))).toMatchObject({ kind: 'final', response: { status: 302 }, hops: 0 });
  });
});

describe('redirectedRequest', () => {
  const to = new URL('https://a.example/next');
  it('turns 303 into a GET without the body (but a HEAD stays a HEAD)', () => {
    expect(redirectedRequest(start('https://a.example/', 'PUT', 'b'), 303, to)).toEqual({ url: to, method: 'GET', body: undefined });
    expect(redirectedRequest(start('https://a.example/', 'HEAD'), 303, to).method).toBe('HEAD');
  });
  it('turns 301 and 302 after a POST into a GET, and keeps method and body for 307 and 308', () => {
    expect(redirectedRequest(start('https://a.example/', 'POST', 'b'), 302, to)).toEqual({ url: to, method: 'GET', body: undefined });
    expect(redirectedRequest(start('https://a.example/', 'PUT', 'b'), 302, to)).toEqual({ url: to, method: 'PUT', body: 'b' });
    expect(redirectedRequest(start('https://a.example/', 'POST', 'b'), 307, to)).toEqual({ url: to, method: 'POST', body: 'b' });
    expect(redirectedRequest(start('https://a.example/', 'POST', 'b'), 308, to)).toEqual({ url: to, method: 'POST', body: 'b' });
  });
});
