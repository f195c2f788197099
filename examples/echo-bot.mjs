// An echo bot on the Handset library: answers every call, greets with a short beep, sends back
// what it hears (call audio as an async iterator in, a PCM feed out), prints DTMF digits and
// hangs up on '#'. Build first (`npm run build`), then:
//   node examples/echo-bot.mjs                 # prints its SIP address
//   node build/src/app/main.js call sip:bot@127.0.0.1:<port> --dtmf 12# --duration 5
import { startPhone, PcmFeed, toneSource } from '../build/src/phone/index.js';

const phone = await startPhone({ host: '127.0.0.1', port: Number(process.env.PORT ?? 0) });
const { host, port } = phone.options.stack.localAddress('udp');
console.log(`echo bot at sip:bot@${host}:${port}`);

phone.on('incoming', (call) => {
  console.log(`call from ${call.remoteUri}`);
  call.answer();
  call.once('answered', async () => {
    const beep = toneSource(880);
    const feed = new PcmFeed();
    // 200 ms of beep, then the echo: every received frame goes straight back.
    for (let i = 0; i < 10; i++) {
      const f = new Int16Array(call.sampleRate / 50);
      beep.read(f, call.sampleRate);
      feed.push(f);
    }
    call.play(feed);
    await feed.pipeFrom(call.audio());
  });
  call.on('dtmf', ({ digit, via }) => {
    console.log(`digit ${digit} (${via})`);
    if (digit === '#') call.hangup();
  });
  call.once('ended', (end) => console.log(`call ended: ${end.reason}`));
});

process.once('SIGINT', () => void phone.close());
