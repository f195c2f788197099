/** Caps that keep a peer from making the parser hold or scan unbounded input. */
export interface ParseLimits {
  /** Whole message, start line to end of body (RFC 3261 §18.1.1 leaves it to the element). */
  maxMessageBytes: number;
  /** Header lines (fields) per message. */
  maxHeaders: number;
  /** One start line or one header field including its folded continuation lines. */
  maxLineBytes: number;
}

export const defaultParseLimits: Readonly<ParseLimits> = Object.freeze({
  maxMessageBytes: 64 * 1024,
  maxHeaders: 256,
  maxLineBytes: 8 * 1024,
});

/** What a server should answer to a request it cannot accept. */
export interface ServerResponse {
  status: number;
  reason: string;
}

/** A message that cannot be used, and why. */
export interface Malformed {
  kind: 'malformed';
  /** What is wrong, in words (names the header or part). */
  reason: string;
  /** Byte offset in the input where the fault was found, when known. */
  offset?: number;
  /** For requests: the response a server should send (absent for responses: drop them). */
  response?: ServerResponse;
}
