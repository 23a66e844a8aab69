/** One `driver_info` field an interface reads. */
export interface PropertySpec {
  description: string;
  /**
   * `true` appends " Required.", `false` appends " Optional."; leave it out when the description
   * already says under which conditions the field is needed.
   */
  required?: boolean;
}

export type PropertyTable = Readonly<Record<string, PropertySpec>>;

/** The text Ironic's `GET /v1/drivers/{name}/properties` shows for a property. */
export function describeProperty(spec: PropertySpec): string {
  if (spec.required === undefined) return spec.description;
  return `${spec.description} ${spec.required ? 'Required.' : 'Optional.'}`;
}

/** Required properties missing (absent or empty) from `driver_info`. */
export function missingRequiredProperties(
  table: PropertyTable,
  driverInfo: Readonly<Record<string, unknown>>,
): string[] {
  return Object.entries(table)
    .filter(([name, spec]) => spec.required === true && (driverInfo[name] ?? '') === '')
    .map(([name]) => name);
}
