/**
 * TLS material for the fake tenant.
 *
 * MSAL refuses `http` authorities, so the fake tenant must speak HTTPS. Node reads extra
 * trust anchors (NODE_EXTRA_CA_CERTS) only once, at process start, so a local CA is kept on
 * disk and created before any process that needs to trust it starts
 * (see scripts/with-local-ca.js). The server certificate itself is issued from that CA
 * each time the fake tenant starts.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import forge from 'node-forge';

export interface LocalCa {
  certPem: string;
  keyPem: string;
  certPath: string;
}

export interface ServerCert {
  certPem: string;
  keyPem: string;
}

/** Default folder for the local CA: `.local/ca` under the project root, or LOCAL_CA_DIR. */
function defaultCaDir(): string {
  return resolve(process.env.LOCAL_CA_DIR ?? join(__dirname, projectRootHops(), '.local', 'ca'));
}

// src/fake-tenant when run from sources, dist/src/fake-tenant when compiled.
function projectRootHops(): string {
  return __dirname.includes(`${join('dist', 'src')}`) ? join('..', '..', '..') : join('..', '..');
}

function rsaKeyPair(): { publicKey: forge.pki.PublicKey; privateKey: forge.pki.PrivateKey; privatePem: string } {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return {
    publicKey: forge.pki.publicKeyFromPem(publicKey),
    privateKey: forge.pki.privateKeyFromPem(privateKey),
    privatePem: privateKey,
  };
}

function serial(): string {
  // Positive serial: clear the top bit.
  const bytes = randomBytes(16);
  bytes[0] = bytes[0]! & 0x7f;
  return bytes.toString('hex');
}

/** Loads the local CA from `dir`, creating it (valid ten years) when absent. */
export function ensureLocalCa(dir: string = defaultCaDir()): LocalCa {
  const certPath = join(dir, 'ca.pem');
  const keyPath = join(dir, 'ca.key.pem');
  if (existsSync(certPath) && existsSync(keyPath)) {
    return { certPem: readFileSync(certPath, 'utf8'), keyPem: readFileSync(keyPath, 'utf8'), certPath };
  }
  mkdirSync(dir, { recursive: true });
  const keys = rsaKeyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = serial();
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 10 * 365 * 24 * 3600_000);
  const subject = [
    { name: 'commonName', value: 'SOA bot local development CA' },
    { name: 'organizationName', value: 'SOA bot (local only)' },
  ];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(keys.privateKey as forge.pki.rsa.PrivateKey, forge.md.sha256.create());
  const certPem = forge.pki.certificateToPem(cert);
  writeFileSync(keyPath, keys.privatePem, { mode: 0o600 });
  writeFileSync(certPath, certPem);
  return { certPem, keyPem: keys.privatePem, certPath };
}

/** Issues a fresh server certificate for localhost / 127.0.0.1 / ::1, signed by the CA. */
export function issueServerCert(ca: LocalCa, hostnames: string[] = ['localhost']): ServerCert {
  const caCert = forge.pki.certificateFromPem(ca.certPem);
  const caKey = forge.pki.privateKeyFromPem(ca.keyPem) as forge.pki.rsa.PrivateKey;
  const keys = rsaKeyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = serial();
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 30 * 24 * 3600_000);
  cert.setSubject([{ name: 'commonName', value: hostnames[0] ?? 'localhost' }]);
  cert.setIssuer(caCert.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    {
      name: 'subjectAltName',
      altNames: [
        ...hostnames.map((value) => ({ type: 2, value })),
        { type: 7, ip: '127.0.0.1' },
        { type: 7, ip: '::1' },
      ],
    },
  ]);
  cert.sign(caKey, forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: keys.privatePem };
}
