import { scimProtocolSuite } from './scim-protocol.suite';

scimProtocolSuite('postgres');
