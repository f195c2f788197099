// Call recording: one stereo WAV per call, our side (what we send) left and the peer right,
// written as the call goes (media's CallRecorder), so a crash keeps what was recorded so far.
import { err, type Result } from '../util/index.js';
import { CallRecorder } from '../media/index.js';
import type { Call } from './call.js';

/** Starts recording `call` into `path` (a WAV file, truncated). */
export async function startRecording(call: Call, path: string): Promise<Result<void>> {
  if (call.pump.recorder) return err(`${call.id} is already being recorded`);
  const recorder = new CallRecorder({ sampleRate: call.sampleRate });
  call.pump.recorder = recorder;
  const started = await recorder.start(path);
  if (!started.ok && call.pump.recorder === recorder) call.pump.recorder = undefined;
  return started;
}

/** Stops recording and finishes the file; resolves with its path (undefined when none ran). */
export async function stopRecording(call: Call): Promise<string | undefined> {
  const recorder = call.pump.recorder;
  call.pump.recorder = undefined;
  if (!recorder) return undefined;
  const path = recorder.path ?? undefined;
  await recorder.stop();
  return path;
}
