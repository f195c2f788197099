// ui/: the web handset's local server (src/ui/web is the page, built by Vite). May import
// phone (public API), config, util; the engine is reached only through HandsetEngine.
export * from './engine.js';
export * from './audio-frame.js';
export { runEngineCommand, describeCommands } from './command-runner.js';
export { serveSocket, type SocketChannel } from './ws-session.js';
export { checkRequest, allowedHosts, allowedOrigins, hasSession, sessionCookie, SESSION_COOKIE, type GuardInput, type GuardVerdict } from './request-guard.js';
export { loadOrCreateToken, TOKEN_FILE } from './token-store.js';
export {
  startHandsetServer, PortInUseError, DEFAULT_UI_PORT, MAX_HEADER_BYTES, MAX_BODY_BYTES, MAX_FRAME_BYTES,
  type HandsetServer, type HandsetServerOptions, type WebSocketUpgrade,
} from './handset-server.js';
