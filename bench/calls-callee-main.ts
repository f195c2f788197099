// A bench-only auto-answering callee: what `handset listen --auto-answer --listen 127.0.0.1:<port>`
// builds (same stack and Phone options), but with `maxLines` raised so load runs can hold many
// calls at once (the CLI keeps Phone's default of 2 lines and has no option for more).
// Usage: node calls-callee-main.js <port> <maxLines>; prints "ready" once listening, exits on SIGINT/SIGTERM.
import { createNetTransport } from '../src/net/index.js';
import { SipStack, StreamFramer } from '../src/sip/index.js';
import { SystemClock } from '../src/util/index.js';
import { pcmaCodec, pcmuCodec } from '../src/codecs/index.js';
import { bindUdpPort } from '../src/media/index.js';
import { Phone, sessionCapabilities } from '../src/phone/index.js';

const port = Number(process.argv[2]);
const maxLines = Number(process.argv[3] ?? 1000);
const clock = new SystemClock();
const transport = createNetTransport({ framer: () => new StreamFramer(), clock });
const stack = new SipStack({ transport, clock, userAgent: 'Handset/0.1.0', capabilities: sessionCapabilities });
const r = await stack.listen({ transport: 'udp', address: '127.0.0.1', port });
if (!r.ok) {
  process.stderr.write(`listen 127.0.0.1:${port}: ${r.error.message}\n`);
  process.exit(1);
}
const phone = new Phone({
  stack, clock, maxLines,
  media: { address: '127.0.0.1', codecs: [pcmuCodec, pcmaCodec], srtp: 'off', bindPort: (a) => bindUdpPort(a) },
});
phone.on('incoming', (call) => call.answer());
process.stdout.write('ready\n');
await new Promise<void>((resolve) => {
  process.once('SIGINT', resolve);
  process.once('SIGTERM', resolve);
});
await phone.close();
stack.close();
await transport.close();
