/**
 * Option declarations, as every Galvanic option is declared: a driver's options are read from the
 * same file and environment as the rest, e.g. `[fake] power_delay` or `GALVANIC_FAKE__POWER_DELAY`.
 */
/** One option's type, default and help, as declared by the package that owns it. */
export interface OptionSpec<T> {
  readonly type: 'string' | 'integer' | 'number' | 'boolean' | 'list' | 'port' | 'enum';
  readonly default: T;
  readonly help: string;
  readonly min?: number;
  readonly max?: number;
  readonly choices?: readonly string[];
  /** Never print the value (URLs with passwords, keys). */
  readonly secret?: boolean;
  /** Parses a text value (from an INI file or the environment) and checks it; throws a reason. */
  parse(raw: unknown): T;
}

export type OptionGroupSpec = Readonly<Record<string, OptionSpec<unknown>>>;
export type GroupValues<G extends OptionGroupSpec> = {
  readonly [K in keyof G]: G[K] extends OptionSpec<infer T> ? T : never;
};

/** A named section of options, such as `[conductor]`. */
export interface OptionGroup<G extends OptionGroupSpec = OptionGroupSpec> {
  readonly name: string;
  readonly options: G;
}

export function defineOptionGroup<G extends OptionGroupSpec>(
  name: string,
  options: G,
): OptionGroup<G> {
  return { name, options };
}

interface NumberBounds {
  min?: number;
  max?: number;
}

function checkBounds(value: number, bounds: NumberBounds): number {
  if (bounds.min !== undefined && value < bounds.min)
    throw new Error(`must be at least ${bounds.min}`);
  if (bounds.max !== undefined && value > bounds.max)
    throw new Error(`must be at most ${bounds.max}`);
  return value;
}

function parseNumber(raw: unknown, integer: boolean): number {
  const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw.trim()) : raw;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new Error(`expected ${integer ? 'an integer' : 'a number'}, got ${JSON.stringify(raw)}`);
  }
  if (integer && !Number.isInteger(value)) throw new Error(`expected an integer, got ${value}`);
  return value;
}

function parseList(raw: unknown): readonly string[] {
  const items = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(',') : null;
  if (items === null)
    throw new Error(`expected a comma-separated list, got ${JSON.stringify(raw)}`);
  return items.map((item) => String(item).trim()).filter((item) => item !== '');
}

const TRUE_WORDS = new Set(['true', 'yes', 'on', '1']);
const FALSE_WORDS = new Set(['false', 'no', 'off', '0']);

/** Builders for option specs, named after oslo.config's option types. */
export const opt = {
  string(defaultValue: string, help: string, extra: { secret?: boolean } = {}): OptionSpec<string> {
    return {
      type: 'string',
      default: defaultValue,
      help,
      ...extra,
      parse(raw) {
        if (typeof raw === 'number' || typeof raw === 'boolean') return String(raw);
        if (typeof raw !== 'string')
          throw new Error(`expected a string, got ${JSON.stringify(raw)}`);
        return raw;
      },
    };
  },
  optionalString(help: string, extra: { secret?: boolean } = {}): OptionSpec<string | undefined> {
    return {
      type: 'string',
      default: undefined,
      help,
      ...extra,
      parse(raw) {
        if (raw === undefined || raw === null || raw === '') return undefined;
        if (typeof raw !== 'string')
          throw new Error(`expected a string, got ${JSON.stringify(raw)}`);
        return raw;
      },
    };
  },
  integer(defaultValue: number, help: string, bounds: NumberBounds = {}): OptionSpec<number> {
    return {
      type: 'integer',
      default: defaultValue,
      help,
      ...bounds,
      parse: (raw) => checkBounds(parseNumber(raw, true), bounds),
    };
  },
  number(defaultValue: number, help: string, bounds: NumberBounds = {}): OptionSpec<number> {
    return {
      type: 'number',
      default: defaultValue,
      help,
      ...bounds,
      parse: (raw) => checkBounds(parseNumber(raw, false), bounds),
    };
  },
  port(defaultValue: number, help: string): OptionSpec<number> {
    return {
      type: 'port',
      default: defaultValue,
      help,
      min: 0,
      max: 65535,
      parse: (raw) => checkBounds(parseNumber(raw, true), { min: 0, max: 65535 }),
    };
  },
  boolean(defaultValue: boolean, help: string): OptionSpec<boolean> {
    return {
      type: 'boolean',
      default: defaultValue,
      help,
      parse(raw) {
        if (typeof raw === 'boolean') return raw;
        const word = String(raw).trim().toLowerCase();
        if (TRUE_WORDS.has(word)) return true;
        if (FALSE_WORDS.has(word)) return false;
        throw new Error(`expected true or false, got ${JSON.stringify(raw)}`);
      },
    };
  },
  list(defaultValue: readonly string[], help: string): OptionSpec<readonly string[]> {
    return { type: 'list', default: defaultValue, help, parse: parseList };
  },
  /** A list whose absence means something other than empty (a value derived from other options). */
  optionalList(help: string): OptionSpec<readonly string[] | undefined> {
    return { type: 'list', default: undefined, help, parse: parseList };
  },
  enumeration<C extends string>(
    defaultValue: C,
    choices: readonly C[],
    help: string,
  ): OptionSpec<C> {
    return {
      type: 'enum',
      default: defaultValue,
      help,
      choices,
      parse(raw) {
        const value = String(raw).trim();
        if (!(choices as readonly string[]).includes(value)) {
          throw new Error(`expected one of ${choices.join(', ')}, got ${JSON.stringify(raw)}`);
        }
        return value as C;
      },
    };
  },
};

/** Raw option values by section and option, before parsing; section names are lower case. */
export type RawConfig = Map<string, Map<string, { value: unknown; source: string }>>;

/** A start-up refusal that names the bad option and where its value came from. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/**
 * Parses one group's options from the raw values, defaulting what is absent.
 * Throws a ConfigError naming `[section] option` and its source when a value is bad.
 */
export function resolveGroup<G extends OptionGroupSpec>(
  raw: RawConfig,
  group: OptionGroup<G>,
): GroupValues<G> {
  const values: Record<string, unknown> = {};
  const given = raw.get(group.name.toLowerCase());
  for (const [name, spec] of Object.entries(group.options)) {
    const entry = given?.get(name.toLowerCase());
    if (entry === undefined) {
      values[name] = spec.default;
      continue;
    }
    try {
      values[name] = spec.parse(entry.value);
    } catch (error) {
      const shown = spec.secret ? '' : ` (${JSON.stringify(entry.value)})`;
      throw new ConfigError(
        `invalid value for option [${group.name}] ${name}${shown} from ${entry.source}: ${(error as Error).message}`,
      );
    }
  }
  return values as GroupValues<G>;
}
