// Call setup time on the wire (bench/calls.ts): the same sipp peer calls each UA (UA as callee)
// and answers each UA (UA as caller), with tshark capturing sipp's port.
import { runSipp, startSippUas } from '../test/support/peers/sipp.js';
import { startBaresip } from '../test/support/peers/baresip.js';
import { withTimeout } from '../test/support/peers/process.js';
import { freePort } from '../test/support/peers/env.js';
import { setupTimes, startCapture, type SetupTimes } from './calls-capture.js';
import { handsetCallOnce, handsetCallsInOneProcess, type Callee } from './calls-uas.js';

/** sipp uac → `ua`: `calls` calls, one at a time, `rate` per second, each held 100 ms. */
export async function calleeSetup(ua: Callee, calls: number, rate = 5): Promise<SetupTimes & { sippOk: boolean }> {
  const port = await freePort();
  const cap = await startCapture([port], Math.ceil(calls / rate) + 30);
  const r = await runSipp({
    scenario: { builtin: 'uac' }, remote: `127.0.0.1:${ua.port}`, localPort: port, service: ua.user,
    calls, rate, limit: 1, timeoutS: Math.ceil(calls / rate) + 20, extraArgs: ['-d', '100'],
  });
  return { ...setupTimes(await cap.stop()), sippOk: r.ok };
}

/**
 * Handset → sipp uas, `calls` times: `handset call` (a new process per call: the CLI places one
 * call), or with `oneProcess` one long-running Phone placing them in turn (warm code).
 */
export async function handsetCallerSetup(calls: number, oneProcess = false): Promise<SetupTimes & { failures: number }> {
  const uas = await startSippUas({ builtin: 'uas' }, { calls, timeoutS: 30 + calls * 5 });
  const cap = await startCapture([uas.port], 30 + calls * 5);
  let failures = 0;
  try {
    if (oneProcess) failures = await handsetCallsInOneProcess(uas.uri('service'), calls, 100);
    else for (let i = 0; i < calls; i++) if ((await handsetCallOnce(uas.uri('service'), 0.1)) !== 0) failures++;
  } finally {
    await uas.stop();
  }
  return { ...setupTimes(await cap.stop()), failures };
}

/** baresip (dialling over ctrl_tcp) → sipp uas, `calls` times, each hung up once established. */
export async function baresipCallerSetup(calls: number): Promise<SetupTimes & { failures: number }> {
  const uas = await startSippUas({ builtin: 'uas' }, { calls, timeoutS: 30 + calls * 5 });
  const b = await startBaresip({});
  const cap = await startCapture([uas.port], 30 + calls * 5);
  let failures = 0;
  try {
    for (let i = 0; i < calls; i++) {
      const established = next(b.events, 'CALL_ESTABLISHED');
      const closed = next(b.events, 'CALL_CLOSED');
      await b.command('dial', uas.uri('service'));
      try {
        await withTimeout(established, 5000, 'baresip CALL_ESTABLISHED');
        await new Promise((r) => setTimeout(r, 100));
        await b.command('hangup');
        await withTimeout(closed, 5000, 'baresip CALL_CLOSED');
      } catch {
        failures++;
      }
    }
  } finally {
    await b.stop();
    await uas.stop();
  }
  return { ...setupTimes(await cap.stop()), failures };
}

function next(events: NodeJS.EventEmitter, type: string): Promise<void> {
  return new Promise((resolve) => events.once(type, () => resolve()));
}
