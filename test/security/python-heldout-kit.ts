// Shared parts of the held-out Python escape battery (python-heldout.test.ts): the probe shape, the
// listeners a probe must never reach, the secret and host-path checks, and the Python snippets probes
// share. Written without reading python-escapes.test.ts, so the two batteries stay independent.
import { randomUUID } from 'node:crypto';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { expect } from 'vitest';
import { ROOT, textOf } from '../e2e/harness.js';
import { CONFIG_SECRET, GATEWAY_SECRET, UPSTREAM_SECRET } from './gateway.js';

/** What one Python run answered. */
export interface PyResult {
  readonly text: string;
  readonly isError: boolean;
  readonly errorCode: string | undefined;
}

/** Facts a probe's program may name: where the traps are. */
export interface ProbeContext {
  /** A TCP listener on 127.0.0.1 that must get no connection. */
  readonly port: number;
  /** A UDP socket on 127.0.0.1 that must get no datagram. */
  readonly udpPort: number;
  /** A host file a shell escape would create; it must never exist. */
  readonly marker: string;
  readonly configFile: string;
  readonly root: string;
  readonly home: string;
}

export interface Probe {
  readonly name: string;
  /** One program, or several run one after another in the same session (state must not carry over). */
  readonly code: (ctx: ProbeContext) => string | readonly string[];
  /** Containment: the exact outcome each program must have. */
  readonly expect: (results: readonly PyResult[], ctx: ProbeContext) => void;
  /** Pause before the service check (a timer the program armed would fire in it). */
  readonly waitAfterMs?: number;
  /** The output may name host paths on purpose (an upstream's own PATH); secrets are still checked. */
  readonly hostPathsAllowed?: boolean;
}

export async function runPython(client: Client, code: string): Promise<PyResult> {
  const result = (await client.callTool({ name: 'execute', arguments: { code, language: 'python' } }, undefined, { timeout: 90_000 })) as CallToolResult;
  const structured = result.structuredContent as { errorCode?: string } | undefined;
  return { text: textOf(result), isError: result.isError === true, errorCode: structured?.errorCode };
}

/** The program's returned JSON text (probes return `json.dumps(...)`, which execute shows raw). */
export function valueOf(r: PyResult): unknown {
  expect(r.isError, r.text).toBe(false);
  return JSON.parse(r.text) as unknown;
}

/** A run that ended with exactly this error code. */
export function expectCode(r: PyResult, code: string): void {
  expect(r.isError, r.text).toBe(true);
  expect(r.errorCode, r.text).toBe(code);
}

/** A run that ended with one of these error codes. */
export function expectCodeIn(r: PyResult, codes: readonly string[]): void {
  expect(r.isError, r.text).toBe(true);
  expect(codes, r.text).toContain(r.errorCode);
}

/** Every entry of an `attempt` report was refused (`ERR:<exception class>`). */
export function expectAllRefused(report: unknown): void {
  const entries = Object.entries(report as Record<string, string>);
  expect(entries.length).toBeGreaterThan(0);
  for (const [what, outcome] of entries) expect(outcome, what).toMatch(/^ERR:/);
}

/** Secrets and host facts that nothing a program gets back may carry. */
export function expectNothingHostSide(text: string, hostPathsAllowed = false): void {
  for (const secret of [GATEWAY_SECRET, UPSTREAM_SECRET, CONFIG_SECRET]) expect(text, 'a secret reached the program').not.toContain(secret);
  if (hostPathsAllowed) return;
  for (const marker of [ROOT, 'node_modules', 'file://', 'CEMCP_TEST_']) expect(text, `host fact ${marker} reached the program`).not.toContain(marker);
  const home = os.homedir();
  if (home.length > 1) expect(text, 'the host home folder reached the program').not.toContain(home);
}

/** A TCP and a UDP listener on 127.0.0.1 that count what reaches them. */
export interface Traps {
  readonly port: number;
  readonly udpPort: number;
  connections(): number;
  datagrams(): number;
  close(): Promise<void>;
}

export async function startTraps(): Promise<Traps> {
  let connections = 0;
  let datagrams = 0;
  const server: Server = createServer((socket) => {
    connections += 1;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const udp: UdpSocket = createSocket('udp4');
  udp.on('message', () => {
    datagrams += 1;
  });
  await new Promise<void>((resolve) => udp.bind(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const udpPort = udp.address().port;
  return {
    port,
    udpPort,
    connections: () => connections,
    datagrams: () => datagrams,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await new Promise<void>((resolve) => udp.close(() => resolve()));
    },
  };
}

export function makeContext(traps: Traps, configFile: string): ProbeContext {
  return {
    port: traps.port,
    udpPort: traps.udpPort,
    marker: path.join(os.tmpdir(), `cemcp-pyred-${randomUUID()}`),
    configFile,
    root: ROOT,
    home: os.homedir(),
  };
}

export const markerExists = (ctx: ProbeContext): boolean => existsSync(ctx.marker);

/**
 * Python helpers a probe's program starts with: `attempt(f)` -> `OK:<repr>` or `ERR:<class>`,
 * `aattempt(f)` for coroutines, and `find_host_call()`: the JS function the prelude calls the host
 * with, as an attacker finds it (the closure of a namespace function, else the frames).
 */
export const KIT = String.raw`
import json, sys

def attempt(f):
    try:
        return 'OK:' + repr(f())[:120]
    except BaseException as e:
        return 'ERR:' + type(e).__name__

async def aattempt(f):
    try:
        return 'OK:' + repr(await f())[:120]
    except BaseException as e:
        return 'ERR:' + type(e).__name__

def is_js(v):
    try:
        from pyodide.ffi import JsProxy
        return isinstance(v, JsProxy)
    except BaseException:
        return type(v).__name__.startswith('Js')

def find_host_call():
    for cell in (fixture.echo.__closure__ or ()):
        try:
            v = cell.cell_contents
        except ValueError:
            continue
        if is_js(v) and callable(v):
            return v
    f = sys._getframe()
    while f is not None:
        if 'host_call' in f.f_locals:
            return f.f_locals['host_call']
        f = f.f_back
    return None
`;

/** `KIT` then the probe's own lines. */
export const withKit = (body: string): string => `${KIT}\n${body}`;
