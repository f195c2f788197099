// Test certificates made at test time with the `openssl` command line (no keys are checked in).
// A test CA issues server certificates (valid, expired, for another host); self-signed ones are
// made without the CA. Keys are EC P-256: fast to generate and accepted by kamailio and node.
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCa {
  dir: string;
  certPath: string;
  keyPath: string;
  certPem: string;
}

export interface IssuedCert {
  certPath: string;
  keyPath: string;
  certPem: string;
  keyPem: string;
  /** SHA-256 of the DER certificate as "AB:CD:...", the form an account pins. */
  fingerprint256: string;
}

export interface CertRequest {
  /** File name stem inside the CA folder (e.g. "server", "expired"). */
  name: string;
  commonName: string;
  dnsNames?: string[];
  ipAddresses?: string[];
  /** Makes a certificate whose validity ended in the past (2020-01-01 to 2021-01-01). */
  expired?: boolean;
}

/** True when the `openssl` command is available (tests skip with a message otherwise). */
export function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: 'pipe' });
}

function newKey(path: string, cwd: string): void {
  openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', path], cwd);
}

function subjectAltName(req: CertRequest): string {
  const names = [...(req.dnsNames ?? []).map((d) => `DNS:${d}`), ...(req.ipAddresses ?? []).map((ip) => `IP:${ip}`)];
  return names.length ? names.join(',') : `DNS:${req.commonName}`;
}

/** Creates a CA (self-signed, 10 years) in a fresh temporary folder, or in `dir` if given. */
export function makeTestCa(dir?: string): TestCa {
  const d = dir ?? mkdtempSync(join(tmpdir(), 'handset-ca-'));
  mkdirSync(join(d, 'issued'), { recursive: true });
  writeFileSync(join(d, 'index.txt'), '');
  writeFileSync(join(d, 'serial'), '1000\n');
  writeFileSync(
    join(d, 'ca.cnf'),
    [
      '[ ca ]',
      'default_ca = test_ca',
      '[ test_ca ]',
      'dir = .',
      'database = ./index.txt',
      'new_certs_dir = ./issued',
      'serial = ./serial',
      'default_md = sha256',
      'policy = any_policy',
      'unique_subject = no',
      'copy_extensions = none',
      '[ any_policy ]',
      'commonName = supplied',
      '[ leaf ]',
      'basicConstraints = CA:FALSE',
      'keyUsage = digitalSignature, keyEncipherment',
      'extendedKeyUsage = serverAuth, clientAuth',
      'subjectAltName = ${ENV::HANDSET_SAN}',
      '',
    ].join('\n'),
  );
  newKey('ca.key', d);
  openssl(
    ['req', '-x509', '-new', '-key', 'ca.key', '-sha256', '-days', '3650', '-subj', '/CN=Handset Test CA', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign', '-out', 'ca.pem'],
    d,
  );
  return { dir: d, certPath: join(d, 'ca.pem'), keyPath: join(d, 'ca.key'), certPem: readFileSync(join(d, 'ca.pem'), 'utf8') };
}

function issued(certPath: string, keyPath: string): IssuedCert {
  const certPem = readFileSync(certPath, 'utf8');
  return { certPath, keyPath, certPem, keyPem: readFileSync(keyPath, 'utf8'), fingerprint256: new X509Certificate(certPem).fingerprint256 };
}

/** Issues a server certificate signed by `ca`; `expired: true` back-dates it with `openssl ca -startdate/-enddate`. */
export function issueCert(ca: TestCa, req: CertRequest): IssuedCert {
  const d = ca.dir;
  const key = `${req.name}.key`;
  newKey(key, d);
  openssl(['req', '-new', '-key', key, '-subj', `/CN=${req.commonName}`, '-out', `${req.name}.csr`], d);
  const dates = req.expired ? ['-startdate', '20200101000000Z', '-enddate', '20210101000000Z'] : ['-days', '825'];
  execFileSync(
    'openssl',
    ['ca', '-batch', '-config', 'ca.cnf', '-extensions', 'leaf', '-cert', 'ca.pem', '-keyfile', 'ca.key', ...dates, '-notext', '-in', `${req.name}.csr`, '-out', `${req.name}.pem`],
    { cwd: d, stdio: 'pipe', env: { ...process.env, HANDSET_SAN: subjectAltName(req) } },
  );
  return issued(join(d, `${req.name}.pem`), join(d, key));
}

/** A self-signed server certificate (no CA), written into `dir` (a fresh temporary folder by default). */
export function makeSelfSigned(req: CertRequest, dir?: string): IssuedCert {
  const d = dir ?? mkdtempSync(join(tmpdir(), 'handset-self-'));
  const key = `${req.name}.key`;
  newKey(key, d);
  openssl(['req', '-x509', '-new', '-key', key, '-sha256', '-days', '825', '-subj', `/CN=${req.commonName}`, '-addext', `subjectAltName=${subjectAltName(req)}`, '-out', `${req.name}.pem`], d);
  return issued(join(d, `${req.name}.pem`), join(d, key));
}
