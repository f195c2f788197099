// Parses `kamcmd ul.dump` (kamailio 5.6 text form: nested "Key: {" blocks and "Key: value" lines)
// into a flat list of bindings.

/** One contact bound to an address of record in kamailio's usrloc. */
export interface UsrlocBinding {
  /** The AoR key (user part only, since use_domain is off). */
  aor: string;
  /** The Contact URI as registered. */
  contact: string;
  /** Seconds left. */
  expires: number;
  callId: string;
  cseq: number;
  userAgent: string;
  /** Source address kamailio saw (`sip:ip:port;transport=...`), or '' when not set. */
  received: string;
  /** Path header value, '' when not set. */
  path: string;
  /** Local socket the REGISTER arrived on, e.g. "udp:127.0.0.1:5060" or "ws:127.0.0.1:...". */
  socket: string;
  /** +sip.instance, '' when not set. */
  instance: string;
  regId: number;
  /** Every field as printed, for anything not mapped above. */
  raw: Record<string, string>;
}

interface Node {
  key: string;
  value?: string;
  children: Node[];
}

function parseTree(text: string): Node {
  const root: Node = { key: '', children: [] };
  const stack: Node[] = [root];
  for (const rawLine of text.split('\n')) {
    const line = rawLine.trim();
    if (!line) continue;
    const top = stack[stack.length - 1] as Node;
    if (line === '}') {
      if (stack.length > 1) stack.pop();
      continue;
    }
    if (line === '{') {
      const n: Node = { key: '', children: [] };
      top.children.push(n);
      stack.push(n);
      continue;
    }
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const key = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (value === '{') {
      const n: Node = { key, children: [] };
      top.children.push(n);
      stack.push(n);
    } else {
      top.children.push({ key, value, children: [] });
    }
  }
  return root;
}

function walk(n: Node, visit: (n: Node) => void): void {
  visit(n);
  for (const c of n.children) walk(c, visit);
}

const notSet = (v: string | undefined) => (v === undefined || v === '[not set]' ? '' : v);

/** Bindings of every domain (table) in the dump. */
export function parseUsrlocDump(text: string): UsrlocBinding[] {
  const out: UsrlocBinding[] = [];
  walk(parseTree(text), (n) => {
    // An AoR record is the block that holds an "AoR" value and a "Contacts" block.
    const aor = n.children.find((c) => c.key === 'AoR' && c.value !== undefined);
    const contacts = n.children.find((c) => c.key === 'Contacts' && c.value === undefined);
    if (!aor || !contacts) return;
    for (const c of contacts.children) {
      if (c.key !== 'Contact') continue;
      const raw: Record<string, string> = {};
      for (const f of c.children) if (f.value !== undefined) raw[f.key] = f.value;
      out.push({
        aor: aor.value as string,
        contact: notSet(raw['Address']),
        expires: Number(raw['Expires'] ?? NaN),
        callId: notSet(raw['Call-ID']),
        cseq: Number(raw['CSeq'] ?? NaN),
        userAgent: notSet(raw['User-Agent']),
        received: notSet(raw['Received']),
        path: notSet(raw['Path']),
        socket: notSet(raw['Socket']),
        instance: notSet(raw['Instance']),
        regId: Number(raw['Reg-Id'] ?? 0),
        raw,
      });
    }
  });
  return out;
}
