import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import bcrypt from 'bcryptjs';

const BCRYPT_PREFIXES = ['$2y$', '$2a$', '$2b$'];
/** A bcrypt hash of nothing anyone types, compared against for unknown users so they take as long. */
const DUMMY_HASH = bcrypt.hashSync('galvanic-unknown-user', 5);
const CHECK_CACHE_SIZE = 256;

/** A user file that cannot be used, in Ironic's words where it has them. */
export class UserFileError extends Error {}

/** Parses an htpasswd file's text; only bcrypt entries are accepted, as in Ironic. */
export function parseHtpasswd(text: string, path: string): Map<string, string> {
  const users = new Map<string, string>();
  for (const line of text.split('\n')) {
    const entry = line.trim();
    if (!entry || !entry.includes(':')) continue;
    const separator = entry.indexOf(':');
    const user = entry.slice(0, separator);
    const hash = entry.slice(separator + 1);
    if (!BCRYPT_PREFIXES.includes(hash.slice(0, 4))) {
      throw new UserFileError(`Only bcrypt digested passwords are supported for ${user} (${path})`);
    }
    users.set(user, hash);
  }
  return users;
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/**
 * The http_basic users of an Apache htpasswd file, re-read when the file changes (by its
 * modification time and size). A bad file read later keeps the last good users and says so.
 */
export class HtpasswdUsers {
  private users: Map<string, string>;
  private stamp: string;
  /** Recent outcomes by digest of user, password and hash: bcrypt is slow by design. */
  private readonly checked = new Map<string, boolean>();

  constructor(
    private readonly path: string,
    private readonly onReloadFailure: (reason: string) => void = () => undefined,
  ) {
    this.stamp = this.currentStamp();
    this.users = this.read();
  }

  private currentStamp(): string {
    try {
      const stat = statSync(this.path);
      return `${stat.mtimeMs}:${stat.size}:${stat.ino}`;
    } catch (error) {
      throw new UserFileError(
        `Problem reading auth user file: ${this.path} (${(error as Error).message})`,
      );
    }
  }

  private read(): Map<string, string> {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (error) {
      throw new UserFileError(
        `Problem reading auth user file: ${this.path} (${(error as Error).message})`,
      );
    }
    return parseHtpasswd(text, this.path);
  }

  private refresh(): void {
    try {
      const stamp = this.currentStamp();
      if (stamp === this.stamp) return;
      this.users = this.read();
      this.stamp = stamp;
      this.checked.clear();
    } catch (error) {
      this.onReloadFailure((error as Error).message);
    }
  }

  /** Whether the user exists with this password. Unknown users cost as much as known ones. */
  async verify(user: string, password: string): Promise<boolean> {
    this.refresh();
    const known = this.users.get(user);
    const hash = known ?? DUMMY_HASH;
    const key = digest(`${user}\0${password}\0${hash}`).toString('hex');
    let matches = this.checked.get(key);
    if (matches === undefined) {
      matches = await bcrypt.compare(password, hash.replace(/^\$2y\$/, '$2b$'));
      if (this.checked.size >= CHECK_CACHE_SIZE) this.checked.clear();
      this.checked.set(key, matches);
    }
    return known !== undefined && matches;
  }
}
