// The page's side of the WebSocket API: a snapshot on connect, deltas after, commands by name
// with replies, and binary audio frames.
import type { EngineCommandResult, HandsetState, HandsetStateDelta } from '../engine.js';

export interface CommandDescription {
  readonly name: string;
  readonly description: string;
}

type Pending = (r: EngineCommandResult) => void;

export class EngineConnection {
  state: HandsetState | undefined;
  commands: readonly CommandDescription[] = [];
  private ws: WebSocket | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private retryMs = 500;

  constructor(
    private readonly onState: (state: HandsetState, delta: HandsetStateDelta | undefined) => void,
    private readonly onLink: (up: boolean) => void,
    private readonly onAudio: (data: ArrayBuffer) => void,
    private readonly onAudioStarted: () => void,
  ) {}

  connect(): void {
    const ws = new WebSocket(`ws://${location.host}/ws`);
    ws.binaryType = 'arraybuffer';
    this.ws = ws;
    ws.onopen = () => {
      this.retryMs = 500;
      this.onLink(true);
    };
    ws.onclose = () => {
      this.onLink(false);
      for (const p of this.pending.values()) p({ ok: false, error: 'connection to the engine lost' });
      this.pending.clear();
      setTimeout(() => this.connect(), this.retryMs);
      this.retryMs = Math.min(this.retryMs * 2, 5000);
    };
    ws.onmessage = (e: MessageEvent) => {
      if (e.data instanceof ArrayBuffer) return this.onAudio(e.data);
      const m = JSON.parse(e.data as string) as Record<string, unknown>;
      switch (m['type']) {
        case 'hello':
          this.commands = m['commands'] as CommandDescription[];
          this.state = m['state'] as HandsetState;
          return this.onState(this.state, undefined);
        case 'delta': {
          const delta = m['changes'] as HandsetStateDelta;
          this.state = { ...(this.state as HandsetState), ...delta };
          return this.onState(this.state, delta);
        }
        case 'result': {
          const p = this.pending.get(m['id'] as number);
          this.pending.delete(m['id'] as number);
          const { type: _t, id: _i, ...result } = m;
          return p?.(result as unknown as EngineCommandResult);
        }
        case 'audio-started':
          return this.onAudioStarted();
        default:
          return undefined;
      }
    };
  }

  get open(): boolean {
    return this.ws?.readyState === WebSocket.OPEN;
  }

  command(name: string, args: Record<string, unknown> = {}): Promise<EngineCommandResult> {
    if (!this.open) return Promise.resolve({ ok: false, error: 'not connected to the engine' });
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.ws!.send(JSON.stringify({ type: 'command', id, name, args }));
    });
  }

  sendJson(m: unknown): void {
    if (this.open) this.ws!.send(JSON.stringify(m));
  }

  sendBinary(data: ArrayBuffer | Uint8Array): void {
    if (this.open) this.ws!.send(data);
  }
}
