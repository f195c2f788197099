// `npm run bench`: runs each benchmark module in turn (optionally only the names given as
// arguments). Add a benchmark by adding a line to the list.
interface BenchModule {
  run(): Promise<void> | void;
}

const benchmarks: { name: string; load: () => Promise<BenchModule> }[] = [
  { name: 'sip-parser', load: () => import('./sip-parser.js') },
  { name: 'rtp-srtp', load: () => import('./rtp-srtp.js') },
  { name: 'media-streams', load: () => import('./media-streams.js') },
  { name: 'g711', load: () => import('./g711.js') },
  { name: 'sip-transactions', load: () => import('./sip-transactions.js') },
  { name: 'sip-register', load: () => import('./sip-register.js') },
  { name: 'ui-latency', load: () => import('./ui-latency.js') },
  { name: 'calls', load: () => import('./calls.js') },
  { name: 'sip-parser-fuzz', load: async () => ({ run: (await import('./sip-parser.js')).fuzz }) },
];

const only = process.argv.slice(2);
for (const b of benchmarks) {
  if (only.length > 0 && !only.includes(b.name)) continue;
  process.stdout.write(`\n## ${b.name}\n`);
  await (await b.load()).run();
}
