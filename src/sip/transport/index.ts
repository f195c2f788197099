// sip/transport: Via construction, received/rport, response routing, UA request routing.
export { newBranch, viaTransport, hostForUri, bareHost, sentByDefaultPort, formatVia, viaText, stampReceived, type ViaInit } from './via.js';
export { responseDestination, isOurVia, type ArrivalInfo } from './response-route.js';
export {
  DEFAULT_MAX_FORWARDS,
  routeEntry,
  routeEntryForUri,
  isLooseRouter,
  applyRouteSet,
  nextHopUri,
  type RouteEntry,
  type RoutedRequest,
} from './routing.js';
