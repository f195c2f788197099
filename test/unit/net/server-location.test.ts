import { test } from 'node:test';
import assert from 'node:assert/strict';
import { orderSrv, resolveSipTargets, type DnsResolver, type NaptrRecord, type ServerTarget, type SipTargetQuery, type SrvRecord } from '../../../src/net/index.js';

interface Zone {
  naptr?: Record<string, NaptrRecord[]>;
  srv?: Record<string, SrvRecord[]>;
  a?: Record<string, string[]>;
  aaaa?: Record<string, string[]>;
  hosts?: Record<string, Array<{ address: string; family: number }>>;
}

/** A resolver over a table; unknown names reject like node's ENOTFOUND. Every query is logged. */
function fakeResolver(zone: Zone, log: string[] = []): DnsResolver {
  const look = <T>(type: string, table: Record<string, T[]> | undefined, name: string): Promise<T[]> => {
    log.push(`${type} ${name}`);
    const v = table?.[name];
    return v ? Promise.resolve(v) : Promise.reject(Object.assign(new Error(`query ${type} ${name} ENOTFOUND`), { code: 'ENOTFOUND' }));
  };
  return {
    resolveNaptr: (n) => look('NAPTR', zone.naptr, n),
    resolveSrv: (n) => look('SRV', zone.srv, n),
    resolve4: (n) => look('A', zone.a, n),
    resolve6: (n) => look('AAAA', zone.aaaa, n),
    lookup: (n) => look('LOOKUP', zone.hosts, n),
  };
}

const naptr = (order: number, preference: number, service: string, replacement: string, flags = 's'): NaptrRecord => ({ order, preference, service, replacement, flags, regexp: '' });
const srv = (priority: number, weight: number, port: number, name: string): SrvRecord => ({ priority, weight, port, name });
const t = (transport: ServerTarget['transport'], address: string, port: number): ServerTarget => ({ transport, address, port, family: address.includes(':') ? 'IPv6' : 'IPv4' });
const firstRandom = () => 0; // RFC 2782 draw that always takes the first candidate

const example: Zone = {
  naptr: {
    'example.com': [
      naptr(20, 10, 'SIP+D2T', '_sip._tcp.example.com'),
      naptr(10, 20, 'SIP+D2U', '_sip._udp.example.com'),
      naptr(10, 10, 'SIPS+D2T', '_sips._tcp.example.com'),
      naptr(30, 10, 'SIP+D2S', '_sip._sctp.example.com'), // SCTP: not ours
      naptr(5, 10, 'SIP+D2U', 'ignored.example.com', 'a'), // only "s" leads to SRV
      naptr(40, 10, 'SIP+D2W', '_sip._ws.example.com'),
    ],
  },
  srv: {
    '_sips._tcp.example.com': [srv(0, 0, 5061, 'tls1.example.com')],
    '_sip._udp.example.com': [srv(10, 0, 5060, 'b.example.com'), srv(0, 0, 5080, 'a.example.com')],
    '_sip._tcp.example.com': [srv(0, 0, 5060, 'a.example.com')],
    '_sip._ws.example.com': [srv(0, 0, 8080, 'a.example.com')],
  },
  a: { 'tls1.example.com': ['192.0.2.10'], 'a.example.com': ['192.0.2.1'], 'b.example.com': ['192.0.2.2'], 'example.com': ['192.0.2.99'] },
  aaaa: { 'a.example.com': ['2001:db8::1'] },
};

interface Row {
  name: string;
  query: SipTargetQuery;
  zone: Zone;
  want: ServerTarget[] | { error: string };
  /** Queries that must not have been made. */
  notQueried?: string[];
  preferIPv6?: boolean;
}

const rows: Row[] = [
  { name: 'numeric IPv4, sip: UDP on 5060 without any DNS', query: { host: '192.0.2.5', secure: false, isIp: true }, zone: {}, want: [t('udp', '192.0.2.5', 5060)] },
  { name: 'numeric IPv6 in brackets, sips: TLS on 5061', query: { host: '[2001:db8::5]', secure: true, isIp: true }, zone: {}, want: [t('tls', '2001:db8::5', 5061)] },
  { name: 'numeric with port and transport=tcp', query: { host: '192.0.2.5', port: 5070, transport: 'tcp', secure: false, isIp: true }, zone: {}, want: [t('tcp', '192.0.2.5', 5070)] },
  {
    name: 'explicit port: A/AAAA only, no NAPTR or SRV',
    query: { host: 'a.example.com', port: 5070, secure: false, isIp: false },
    zone: example,
    want: [t('udp', '192.0.2.1', 5070), t('udp', '2001:db8::1', 5070)],
    notQueried: ['NAPTR a.example.com', 'SRV _sip._udp.a.example.com'],
  },
  {
    name: 'explicit port, IPv6 preferred',
    query: { host: 'a.example.com', port: 5070, secure: false, isIp: false },
    zone: example,
    preferIPv6: true,
    want: [t('udp', '2001:db8::1', 5070), t('udp', '192.0.2.1', 5070)],
  },
  {
    name: 'NAPTR order then preference; SRV priority; unknown services and non-s flags skipped',
    query: { host: 'example.com', secure: false, isIp: false },
    zone: example,
    want: [
      t('tls', '192.0.2.10', 5061),
      t('udp', '192.0.2.1', 5080),
      t('udp', '2001:db8::1', 5080),
      t('udp', '192.0.2.2', 5060),
      t('tcp', '192.0.2.1', 5060),
      t('tcp', '2001:db8::1', 5060),
      t('ws', '192.0.2.1', 8080),
      t('ws', '2001:db8::1', 8080),
    ],
    notQueried: ['SRV ignored.example.com', 'SRV _sip._sctp.example.com'],
  },
  { name: 'sips URI: only SIPS NAPTR services', query: { host: 'example.com', secure: true, isIp: false }, zone: example, want: [t('tls', '192.0.2.10', 5061)] },
  {
    name: 'transport given, no port: SRV for that transport only, no NAPTR',
    query: { host: 'example.com', transport: 'tcp', secure: false, isIp: false },
    zone: example,
    want: [t('tcp', '192.0.2.1', 5060), t('tcp', '2001:db8::1', 5060)],
    notQueried: ['NAPTR example.com'],
  },
  {
    name: 'no NAPTR: SRV per transport in our order (_sip._udp, _sip._tcp, _sips._tcp)',
    query: { host: 'nonaptr.test', secure: false, isIp: false },
    zone: {
      srv: { '_sip._tcp.nonaptr.test': [srv(0, 0, 5062, 'pbx.nonaptr.test')], '_sips._tcp.nonaptr.test': [srv(0, 0, 5063, 'pbx.nonaptr.test')] },
      a: { 'pbx.nonaptr.test': ['198.51.100.7'] },
    },
    want: [t('tcp', '198.51.100.7', 5062), t('tls', '198.51.100.7', 5063)],
  },
  {
    name: 'no NAPTR, no SRV: A/AAAA of the domain on 5060 over UDP, IPv4 first',
    query: { host: 'plain.test', secure: false, isIp: false },
    zone: { a: { 'plain.test': ['203.0.113.1'] }, aaaa: { 'plain.test': ['2001:db8::9'] } },
    want: [t('udp', '203.0.113.1', 5060), t('udp', '2001:db8::9', 5060)],
  },
  {
    name: 'no NAPTR, no SRV, sips: A record on 5061 over TLS',
    query: { host: 'plain.test', secure: true, isIp: false },
    zone: { a: { 'plain.test': ['203.0.113.1'] } },
    want: [t('tls', '203.0.113.1', 5061)],
  },
  {
    name: 'SRV target "." means no service there',
    query: { host: 'dot.test', transport: 'udp', secure: false, isIp: false },
    zone: { srv: { '_sip._udp.dot.test': [srv(0, 0, 5060, '.')] }, a: { 'dot.test': ['203.0.113.2'] } },
    want: [t('udp', '203.0.113.2', 5060)],
  },
  {
    name: 'no DNS records: the system lookup (hosts file) is the last resort',
    query: { host: 'localhost', secure: false, isIp: false },
    zone: { hosts: { localhost: [{ address: '127.0.0.1', family: 4 }] } },
    want: [t('udp', '127.0.0.1', 5060)],
  },
  { name: 'nothing anywhere: dns-failed', query: { host: 'nowhere.test', secure: false, isIp: false }, zone: {}, want: { error: 'dns-failed' } },
  { name: 'sips with transport=udp is refused', query: { host: 'example.com', transport: 'udp', secure: true, isIp: false }, zone: example, want: { error: 'not-supported' } },
];

for (const row of rows) {
  test(`RFC 3263: ${row.name}`, async () => {
    const log: string[] = [];
    const r = await resolveSipTargets(row.query, fakeResolver(row.zone, log), { random: firstRandom, preferIPv6: row.preferIPv6 ?? false });
    if ('error' in row.want) {
      assert.ok(!r.ok);
      assert.equal(r.error.code, row.want.error);
    } else {
      assert.ok(r.ok, r.ok ? '' : r.error.message);
      assert.deepEqual(r.value, row.want);
    }
    for (const q of row.notQueried ?? []) assert.ok(!log.includes(q), `${q} should not be queried`);
    if (row.query.isIp) assert.deepEqual(log, []);
  });
}

test('RFC 3263: the client transport list limits what NAPTR may choose', async () => {
  const r = await resolveSipTargets({ host: 'example.com', secure: false, isIp: false }, fakeResolver(example), { transports: ['tcp'], random: firstRandom });
  assert.ok(r.ok);
  assert.deepEqual(r.value, [t('tcp', '192.0.2.1', 5060), t('tcp', '2001:db8::1', 5060)]);
});

test('RFC 2782: priority ascending, then weighted random draws without replacement', () => {
  const recs = [srv(1, 10, 1, 'a'), srv(1, 30, 1, 'b'), srv(1, 60, 1, 'c'), srv(0, 5, 1, 'first'), srv(2, 0, 1, 'last')];
  // Priority 0: only "first". Priority 1: draw floor(0.5*101)=50 → running sums 10, 40, 100 → c;
  // then floor(0*41)=0 → a (running 10 >= 0); then b.
  const draws = [0.9, 0.5, 0, 0.99, 0.3];
  let i = 0;
  assert.deepEqual(orderSrv(recs, () => draws[i++]!).map((r) => r.name), ['first', 'c', 'a', 'b', 'last']);
});

test('RFC 2782: zero-weight records are put first in the draw, so they are picked only on a zero draw', () => {
  const recs = [srv(0, 50, 1, 'heavy'), srv(0, 0, 1, 'zero')];
  assert.deepEqual(orderSrv(recs, () => 0).map((r) => r.name), ['zero', 'heavy']);
  assert.deepEqual(orderSrv(recs, () => 0.5).map((r) => r.name), ['heavy', 'zero']);
});

test('RFC 2782: over many draws the share follows the weights', () => {
  const recs = [srv(0, 20, 1, 'light'), srv(0, 80, 1, 'heavy')];
  let seed = 1;
  const lcg = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  let heavyFirst = 0;
  for (let n = 0; n < 2000; n++) if (orderSrv(recs, lcg)[0]!.name === 'heavy') heavyFirst++;
  assert.ok(heavyFirst > 1500 && heavyFirst < 1700, `heavy first ${heavyFirst} of 2000`);
});
