import { EntitySchema } from 'typeorm';

/** A conductor service as registered in the database (Ironic's `conductors` table). */
export interface ConductorRow {
  id: number;
  hostname: string;
  conductorGroup: string;
  /** Hardware types this conductor loaded. */
  drivers: string[];
  /** The RPC contract version (`major.minor`) it speaks; null if registered before versions. */
  contractVersion: string | null;
  online: boolean;
  createdAt: Date;
  /** Last heartbeat. */
  updatedAt: Date;
}

/** One interface implementation a conductor enabled for one hardware type. */
export interface ConductorHardwareInterfaceRow {
  id: number;
  conductorId: number;
  hardwareType: string;
  interfaceType: string;
  interfaceName: string;
  isDefault: boolean;
}

export const ConductorEntity = new EntitySchema<ConductorRow>({
  name: 'Conductor',
  tableName: 'conductors',
  columns: {
    id: { type: Number, primary: true, generated: 'increment' },
    hostname: { type: String, length: 255, unique: true },
    conductorGroup: { name: 'conductor_group', type: String, length: 255, default: '' },
    drivers: { type: 'jsonb', default: () => "'[]'" },
    contractVersion: { name: 'contract_version', type: String, length: 32, nullable: true },
    online: { type: Boolean, default: true },
    createdAt: { name: 'created_at', type: 'timestamptz', default: () => 'now()' },
    updatedAt: { name: 'updated_at', type: 'timestamptz', default: () => 'now()' },
  },
});

export const ConductorHardwareInterfaceEntity = new EntitySchema<ConductorHardwareInterfaceRow>({
  name: 'ConductorHardwareInterface',
  tableName: 'conductor_hardware_interfaces',
  columns: {
    id: { type: Number, primary: true, generated: 'increment' },
    conductorId: { name: 'conductor_id', type: Number },
    hardwareType: { name: 'hardware_type', type: String, length: 255 },
    interfaceType: { name: 'interface_type', type: String, length: 16 },
    interfaceName: { name: 'interface_name', type: String, length: 255 },
    isDefault: { name: 'default', type: Boolean, default: false },
  },
});

export const allEntities = [ConductorEntity, ConductorHardwareInterfaceEntity];
