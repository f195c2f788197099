// A bench-only caller: one long-running Handset Phone (same stack and options as `handset call`)
// placing `calls` calls one after another to `uri`, each hung up after `holdMs`. Beside the CLI
// figure (a new process per call, so every call runs cold code) it gives the warm caller.
// Usage: node calls-caller-main.js <uri> <calls> <holdMs>; prints "done <failures>" and exits.
import { createNetTransport } from '../src/net/index.js';
import { SipStack, StreamFramer } from '../src/sip/index.js';
import { SystemClock } from '../src/util/index.js';
import { pcmaCodec, pcmuCodec } from '../src/codecs/index.js';
import { bindUdpPort } from '../src/media/index.js';
import { Phone, sessionCapabilities } from '../src/phone/index.js';

const [uri = '', calls = '1', holdMs = '100'] = process.argv.slice(2);
const clock = new SystemClock();
const transport = createNetTransport({ framer: () => new StreamFramer(), clock });
const stack = new SipStack({ transport, clock, userAgent: 'Handset/0.1.0', capabilities: sessionCapabilities });
const r = await stack.listen({ transport: 'udp', address: '127.0.0.1', port: 0 });
if (!r.ok) throw new Error(r.error.message);
const phone = new Phone({
  stack, clock,
  media: { address: '127.0.0.1', codecs: [pcmuCodec, pcmaCodec], srtp: 'off', bindPort: (a) => bindUdpPort(a) },
});
let failures = 0;
for (let i = 0; i < Number(calls); i++) {
  const call = await phone.dial(uri);
  if (typeof call === 'string') {
    failures++;
    continue;
  }
  call.once('answered', () => clock.setTimer(Number(holdMs), () => call.hangup()));
  const end = await call.whenEnded();
  if (!end.answered) failures++;
}
process.stdout.write(`done ${failures}\n`);
await phone.close();
stack.close();
await transport.close();
process.exit(0);
