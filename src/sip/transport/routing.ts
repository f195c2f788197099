// Request routing for a UA: the Request-URI and Route set of a request sent with a route set
// (RFC 3261 §12.2.1.1 loose and strict routing), the next hop (§8.1.2), Max-Forwards (§8.1.1.6).
import { formatUri, isSipUri, uriParam, type NameAddr, type SipUri, type Uri } from '../message/index.js';

/** §8.1.1.6: the initial Max-Forwards of a request a UAC originates. */
export const DEFAULT_MAX_FORWARDS = 70;

/** A route-set entry: its URI and the text it is written with (name-addr form). */
export interface RouteEntry {
  uri: Uri;
  /** The whole header value to write in a Route header, e.g. `<sip:p1.example.com;lr>`. */
  text: string;
}

/** A route entry from a Record-Route / Route / Service-Route / Path value (params kept). */
export function routeEntry(value: NameAddr): RouteEntry {
  let text = `<${value.uriText}>`;
  for (const [k, v] of value.params) text += v === '' ? `;${k}` : `;${k}=${v}`;
  return { uri: value.uri, text };
}

/** A route entry from a URI (an outbound proxy). */
export function routeEntryForUri(uri: Uri): RouteEntry {
  return { uri, text: `<${formatUri(uri)}>` };
}

/** True when the URI carries `lr` (RFC 3261 §19.1.1): the element is a loose router. */
export function isLooseRouter(uri: Uri): boolean {
  return uriParam(uri, 'lr') !== undefined;
}

export interface RoutedRequest {
  requestUri: Uri;
  /** Route header values, top first. */
  routes: string[];
}

/** §12.2.1.1 (and §8.1.2 for an outbound proxy set): Request-URI and Route headers. */
export function applyRouteSet(remoteTarget: Uri, routeSet: readonly RouteEntry[]): RoutedRequest {
  const first = routeSet[0];
  if (first === undefined) return { requestUri: remoteTarget, routes: [] };
  if (isLooseRouter(first.uri)) return { requestUri: remoteTarget, routes: routeSet.map((r) => r.text) };
  // Strict router: its URI becomes the Request-URI (minus parameters not allowed there,
  // §19.1.1: method, maddr, ttl, transport, lr... only headers and method are barred), and the
  // remote target goes last in Route.
  const requestUri = stripForRequestUri(first.uri);
  return { requestUri, routes: [...routeSet.slice(1).map((r) => r.text), `<${formatUri(remoteTarget)}>`] };
}

function stripForRequestUri(uri: Uri): Uri {
  if (!isSipUri(uri)) return uri;
  const out: SipUri = { ...uri, headers: [], params: uri.params.filter((p) => p.name.toLowerCase() !== 'method') };
  return out;
}

/**
 * §8.1.2 / RFC 3263 §4: the URI to locate for sending: the first Route when there is one (a
 * strict router is already in the Request-URI), else the Request-URI.
 */
export function nextHopUri(requestUri: Uri, routes: readonly RouteEntry[] | readonly Uri[]): Uri {
  const first = routes[0];
  if (first === undefined) return requestUri;
  const uri = 'text' in first ? first.uri : first;
  return isLooseRouter(uri) ? uri : requestUri;
}
