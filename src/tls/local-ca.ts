import { X509Certificate } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import path from 'node:path';
import { generate } from 'selfsigned';

// B24_TLS=on: a local certificate authority and a server certificate it signs, kept under `<dataDir>/tls/` and
// reused across restarts, so a client trusts the CA once (`NODE_EXTRA_CA_CERTS=<ca.pem>`, `curl --cacert`).

export interface LocalTls {
  key: string;
  cert: string;
  /** The CA certificate clients should trust. */
  caPath: string;
}

interface Pair {
  key: string;
  cert: string;
}

const DAY_MS = 24 * 3600 * 1000;
/** Apple platforms refuse server certificates valid for more than 825 days, even from a private CA. */
const SERVER_DAYS = 365;
const CA_DAYS = 10 * 365;

/** The server certificate covers localhost, 127.0.0.1, ::1 and any extra host names (HOST, B24_PUBLIC_URL). */
export async function localCertificates(dataDir: string, hosts: string[] = [], now = Date.now()): Promise<LocalTls> {
  const dir = path.join(dataDir, 'tls');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const caPath = path.join(dir, 'ca.pem');
  let ca = await read(dir, 'ca');
  if (!ca || !valid(ca.cert, now)) ca = await write(dir, 'ca', await issueCa(now));
  const names = [...new Set(['localhost', '127.0.0.1', '::1', ...hosts].filter(Boolean))];
  let server = await read(dir, 'server');
  if (!server || !valid(server.cert, now) || !covers(server.cert, names) || !signedBy(server.cert, ca.cert)) {
    server = await write(dir, 'server', await issueServer(ca, names, now));
  }
  return { key: server.key, cert: server.cert, caPath };
}

function issueCa(now: number): Promise<Pair> {
  return generate([{ name: 'commonName', value: 'b24-local development CA' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notBeforeDate: new Date(now - DAY_MS),
    notAfterDate: new Date(now + CA_DAYS * DAY_MS),
    extensions: [
      { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    ],
  }).then((pems) => ({ key: pems.private, cert: pems.cert }));
}

function issueServer(ca: Pair, names: string[], now: number): Promise<Pair> {
  return generate([{ name: 'commonName', value: names[0] }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notBeforeDate: new Date(now - DAY_MS),
    notAfterDate: new Date(now + SERVER_DAYS * DAY_MS),
    ca,
    extensions: [
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: names.map((n) => (isIP(n) ? { type: 7 as const, ip: n } : { type: 2 as const, value: n })),
      },
    ],
  }).then((pems) => ({ key: pems.private, cert: pems.cert }));
}

async function read(dir: string, name: string): Promise<Pair | undefined> {
  try {
    const [key, cert] = await Promise.all([
      readFile(path.join(dir, `${name}-key.pem`), 'utf8'),
      readFile(path.join(dir, `${name}.pem`), 'utf8'),
    ]);
    new X509Certificate(cert); // unreadable files are issued anew
    return { key, cert };
  } catch {
    return undefined;
  }
}

async function write(dir: string, name: string, pair: Pair): Promise<Pair> {
  await writeFile(path.join(dir, `${name}-key.pem`), pair.key, { mode: 0o600 });
  await writeFile(path.join(dir, `${name}.pem`), pair.cert, { mode: 0o644 });
  return pair;
}

/** Still valid for at least 30 days (renewed early, so a long-running server does not hit the date). */
function valid(cert: string, now: number): boolean {
  const x509 = new X509Certificate(cert);
  return Date.parse(x509.validFrom) <= now && Date.parse(x509.validTo) > now + 30 * DAY_MS;
}

function covers(cert: string, names: string[]): boolean {
  const x509 = new X509Certificate(cert);
  return names.every((n) => (isIP(n) ? x509.checkIP(n) : x509.checkHost(n)) !== undefined);
}

function signedBy(cert: string, caCert: string): boolean {
  const ca = new X509Certificate(caCert);
  return new X509Certificate(cert).verify(ca.publicKey);
}
