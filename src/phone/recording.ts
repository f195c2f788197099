// Call recording: our audio left, the peer's right (TwoChannelRecorder), on demand or from the
// start; `stopRecording` returns the WAV bytes (the app or library user writes them).
import type { Call } from './call.js';
import { TwoChannelRecorder } from './call-audio.js';

export function startRecording(call: Call): TwoChannelRecorder {
  const r = call.pump.recorder ?? new TwoChannelRecorder();
  call.pump.recorder = r;
  return r;
}

/** The recording so far as a two-channel WAV (undefined when none runs); recording stops. */
export function stopRecording(call: Call): Buffer | undefined {
  const r = call.pump.recorder;
  call.pump.recorder = undefined;
  return r?.wav();
}
