export * from './config/platform-config';
export { PlatformCoreModule, PLATFORM_CONFIG } from './config/config.module';
export { ApiErrorFilter, RETRY_AFTER_SECONDS, statusFor, type ApiErrorBody } from './http/api-error.filter';
export { startHttpApp, type RawRequestHandler, type RunningHttpApp, type HttpAppOptions } from './http/bootstrap';
export { validationExceptionFactory } from './http/validation';
export { SCIM_CONTENT_TYPE, SCIM_ERROR_SCHEMA, SCIM_PATH_PREFIX } from './http/body-parsing';
export { InvalidationEvents } from './events/invalidation-events';
export { hashSecret, generateSecret, constantTimeEquals, consoleClientSecret } from './security/secrets';
export { SecretBox } from './security/secret-box';
export { RATE_LIMITER, InMemoryRateLimiter, type RateLimiter, type RateLimitDecision } from './rate-limit/rate-limiter';
export { RedisRateLimiter, createRateLimiter } from './rate-limit/redis-rate-limiter';
export {
  jsonTextProblem, parsedBodyProblem, rawBodyProblem, refuseHostileInput, requestTargetProblem, routeFamilyOf, screenRequestBody, type HostileInput, type RouteFamily,
} from './http/hostile-input';
export { ClientAddressRule, parseTrustProxy, TRUST_NOTHING, type TrustFunction, type TrustProxySetting } from './http/client-address';
export { addressProblem, destinationProblem, OutboundHttp, type OutboundHttpOptions, OutboundRequestRefused } from './security/outbound-http';
