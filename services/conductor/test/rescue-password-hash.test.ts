import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { hashRescuePassword, randomSalt, shaCrypt } from '../src/rescue/sha-crypt';

const run = promisify(execFile);

describe('rescue password hashing (SHA-crypt, as /etc/shadow takes it)', () => {
  it('matches the SHA-crypt specification test vectors', () => {
    expect(shaCrypt('Hello world!', 'sha256', 'saltstring')).toBe(
      '$5$saltstring$5B8vYYiY.CVt1RlTTf8KbXBH3hsxY/GNooZaBBGWEc5',
    );
    expect(shaCrypt('Hello world!', 'sha512', 'saltstring')).toBe(
      '$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1',
    );
    // A salt longer than 16 characters is cut, as crypt(3) does.
    expect(shaCrypt('Hello world!', 'sha256', 'saltstringsaltstring')).toBe(
      '$5$saltstringsaltst$a5C8Ofk71MUIoKve2QuP9FMl.dwNgseF5tR1LGAL7iB',
    );
  });

  it('agrees with openssl passwd for passwords shorter and longer than the digest', async () => {
    const passwords = ['p', 'rescue-me', 'x'.repeat(33), 'ü-and-spaces in it '.repeat(5)];
    for (const password of passwords) {
      for (const [algorithm, scheme] of [
        ['sha256', '5'],
        ['sha512', '6'],
      ] as const) {
        const salt = randomSalt();
        const child = run('openssl', ['passwd', `-${scheme}`, '-salt', salt, '-stdin']);
        child.child.stdin!.end(`${password}\n`);
        const { stdout } = await child;
        expect(shaCrypt(password, algorithm, salt), `${algorithm} ${password}`).toBe(stdout.trim());
      }
    }
  });

  it('hashes with a fresh 16-character salt each time, in the configured scheme', () => {
    const one = hashRescuePassword('secret', 'sha256');
    const two = hashRescuePassword('secret', 'sha256');
    expect(one).toMatch(/^\$5\$[./0-9A-Za-z]{16}\$[./0-9A-Za-z]{43}$/);
    expect(two).not.toBe(one);
    const salt = one.split('$')[2]!;
    expect(shaCrypt('secret', 'sha256', salt)).toBe(one);
    expect(hashRescuePassword('secret', 'sha512')).toMatch(
      /^\$6\$[./0-9A-Za-z]{16}\$[./0-9A-Za-z]{86}$/,
    );
  });
});
