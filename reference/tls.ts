/**
 * HTTPS for the reference API, so security.hsts and security.https-only are exercised: a
 * self-signed certificate made at start with the system's `openssl` (no npm dependency: Node
 * cannot issue X.509 certificates itself, and openssl ships with Debian, Ubuntu and macOS), an
 * https listener on the same handler, and a plain-http listener that redirects to it the way a
 * port-80 front end does. Clients must run with tls_verify: false (the report flags it).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type RequestListener, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Certificate {
  readonly key: string;
  readonly cert: string;
}

/** Why a certificate cannot be made here, or undefined when openssl is available. */
export function opensslMissing(): string | undefined {
  const probe = spawnSync('openssl', ['version'], { encoding: 'utf8' });
  return probe.status === 0 ? undefined : 'openssl is not installed (apt-get install -y openssl): the https reference cannot be started';
}

/** A throw-away self-signed certificate for 127.0.0.1 and localhost, valid for two days. */
export function selfSignedCertificate(): Certificate {
  const dir = mkdtempSync(join(tmpdir(), 'reference-tls-'));
  try {
    const key = join(dir, 'key.pem');
    const cert = join(dir, 'cert.pem');
    const made = spawnSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        key,
        '-out',
        cert,
        '-days',
        '2',
        '-subj',
        '/CN=reference.conformance.invalid',
        '-addext',
        'subjectAltName=IP:127.0.0.1,DNS:localhost',
      ],
      { encoding: 'utf8' },
    );
    if (made.status !== 0) throw new Error(`openssl could not make a certificate: ${made.stderr || made.error?.message}`);
    return { key: readFileSync(key, 'utf8'), cert: readFileSync(cert, 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function createReferenceHttpsServer(handler: RequestListener, certificate: Certificate = selfSignedCertificate()): Server {
  const server = createHttpsServer({ ...certificate }, handler);
  server.keepAliveTimeout = 5000;
  return server;
}

/**
 * The plain-http front of the https reference: every request gets a 308 to the same path on
 * `httpsOrigin`. Under the security.https-only fault (in the path's fault list) it serves the
 * API over plain http instead.
 */
export function createHttpsRedirector(httpsOrigin: () => string, handler: RequestListener): Server {
  const server = createHttpServer((req, res) => {
    const faults = /^\/_f\/([^/]+)\//.exec(req.url ?? '')?.[1]?.split('+') ?? [];
    if (faults.includes('security.https-only')) return handler(req, res);
    const location = `${httpsOrigin()}${req.url ?? '/'}`;
    res.writeHead(308, { location, 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
    res.end(`Use HTTPS: ${location}\n`);
  });
  server.keepAliveTimeout = 5000;
  return server;
}
