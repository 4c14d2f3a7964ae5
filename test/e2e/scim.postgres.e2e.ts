import { scimDeprovisioningSuite } from './scim-deprovisioning.suite';
import { scimProtocolSuite } from './scim-protocol.suite';

scimProtocolSuite('postgres');
scimDeprovisioningSuite('postgres');
