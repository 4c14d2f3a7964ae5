import { scimDeprovisioningSuite } from './scim-deprovisioning.suite';
import { scimProtocolSuite } from './scim-protocol.suite';

scimProtocolSuite('pglite');
scimDeprovisioningSuite('pglite');
