/** `/redfish`, the service root, the OData service document and a small `$metadata`. */
import { SESSIONS_PATH } from '../auth';
import type { Router } from '../http/router';
import type { EmulatorModel } from '../model';
import { CHASSIS_PATH, MANAGERS_PATH, SYSTEMS_PATH } from '../model';
import { ref } from './common';

const ROOT_PATH = '/redfish/v1';

const SERVICES: readonly (readonly [string, string])[] = [
  ['Systems', SYSTEMS_PATH],
  ['Chassis', CHASSIS_PATH],
  ['Managers', MANAGERS_PATH],
  ['SessionService', '/redfish/v1/SessionService'],
  ['EventService', '/redfish/v1/EventService'],
  ['TaskService', '/redfish/v1/TaskService'],
  ['UpdateService', '/redfish/v1/UpdateService'],
];

const METADATA_REFERENCES = [
  'ServiceRoot',
  'ComputerSystemCollection',
  'ComputerSystem',
  'ManagerCollection',
  'Manager',
  'ChassisCollection',
  'Chassis',
  'SessionService',
  'EventService',
  'TaskService',
  'UpdateService',
];

function metadataDocument(): string {
  const references = METADATA_REFERENCES.map(
    (name) =>
      `  <edmx:Reference Uri="http://redfish.dmtf.org/schemas/v1/${name}_v1.xml">\n` +
      `    <edmx:Include Namespace="${name}"/>\n` +
      `  </edmx:Reference>`,
  ).join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<edmx:Edmx xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx" Version="4.0">
${references}
  <edmx:DataServices>
    <Schema xmlns="http://docs.oasis-open.org/odata/ns/edm" Namespace="Service">
      <EntityContainer Name="Service" Extends="ServiceRoot.v1_16_1.ServiceContainer"/>
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>
`;
}

export function registerServiceRootRoutes(router: Router, model: EmulatorModel): void {
  router.on('GET', '/redfish', () => ({ status: 200, body: { v1: `${ROOT_PATH}/` } }));

  router.on('GET', ROOT_PATH, () => ({
    status: 200,
    etag: true,
    body: {
      '@odata.id': `${ROOT_PATH}/`,
      '@odata.type': '#ServiceRoot.v1_16_1.ServiceRoot',
      Id: 'RootService',
      Name: 'Root Service',
      RedfishVersion: '1.17.0',
      UUID: model.serviceUuid,
      Product: 'Galvanic Redfish Emulator',
      Vendor: 'Galvanic',
      ProtocolFeaturesSupported: {
        ExpandQuery: { ExpandAll: false, Levels: false, Links: false, NoLinks: false },
        FilterQuery: false,
        SelectQuery: false,
        OnlyMemberQuery: false,
        ExcerptQuery: false,
        TopSkipQuery: true,
      },
      ...Object.fromEntries(SERVICES.map(([name, path]) => [name, ref(path)])),
      Links: { Sessions: ref(SESSIONS_PATH) },
    },
  }));

  router.on('GET', `${ROOT_PATH}/odata`, () => ({
    status: 200,
    body: {
      '@odata.context': `${ROOT_PATH}/$metadata`,
      value: [
        { name: 'Service', kind: 'Singleton', url: `${ROOT_PATH}/` },
        ...SERVICES.map(([name, path]) => ({ name, kind: 'Singleton', url: path })),
      ],
    },
  }));

  const metadata = metadataDocument();
  router.on('GET', `${ROOT_PATH}/$metadata`, () => ({
    status: 200,
    text: { contentType: 'application/xml', data: metadata },
  }));
}
