import { scimProtocolSuite } from './scim-protocol.suite';

scimProtocolSuite('pglite');
