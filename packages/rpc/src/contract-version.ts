/**
 * The version of the contract a client and a server speak: `major.minor`. A minor version only
 * adds (methods, optional arguments, result fields), so any two minors of one major interoperate:
 * a receiver refuses what it does not know by name (an unknown method or argument) instead of
 * misreading it, and a reader ignores result fields it does not know. A major version is any
 * other change, and a server refuses every call of a major it does not speak.
 */
export class ContractVersion {
  private constructor(
    readonly major: number,
    readonly minor: number,
  ) {}

  /** Parses `major.minor`; undefined for anything else. */
  static tryParse(text: string): ContractVersion | undefined {
    const match = /^(0|[1-9]\d{0,5})\.(0|[1-9]\d{0,5})$/.exec(text);
    return match ? new ContractVersion(Number(match[1]), Number(match[2])) : undefined;
  }

  /** Parses `major.minor`, throwing on anything else: for versions a program is configured with. */
  static parse(text: string): ContractVersion {
    const version = ContractVersion.tryParse(text);
    if (!version) throw new Error(`Not an RPC contract version (major.minor): ${text}`);
    return version;
  }

  /** Whether a peer speaking `other` (as text from the wire or a database) can talk with this. */
  interoperatesWith(other: string | undefined | null): boolean {
    if (other === undefined || other === null) return false;
    return ContractVersion.tryParse(other)?.major === this.major;
  }

  toString(): string {
    return `${this.major}.${this.minor}`;
  }
}
