import { randomBytes } from 'node:crypto';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { hash, verify } from '@node-rs/argon2';
import { dictionary } from '@zxcvbn-ts/language-common';

/**
 * argon2id (RFC 9106) through @node-rs/argon2 (a Rust binding shipped as prebuilt binaries, no install script), with
 * OWASP's minimum parameters: 19 MiB of memory, 2 passes, 1 lane; the salt is random per hash and everything is kept
 * in the PHC string (`$argon2id$v=19$m=19456,t=2,p=1$…`), so raising the parameters later leaves old hashes valid.
 */
const ARGON2ID = 2; // Algorithm.Argon2id (a const enum in the package's types)
const PARAMS = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

@Injectable()
export class PasswordHasher implements OnModuleInit {
  private dummy: string | null = null;

  /** A hash of a random password, to verify against when there is no user: same work, same time, same answer. */
  async onModuleInit(): Promise<void> {
    this.dummy = await hash(randomBytes(24).toString('base64url'), PARAMS);
  }

  hash(password: string): Promise<string> {
    return hash(password, PARAMS);
  }

  /** Whether `password` matches `stored`; with no stored hash, verifies against the dummy and answers false. */
  async verify(stored: string | null, password: string): Promise<boolean> {
    if (stored === null) {
      this.dummy ??= await hash(randomBytes(24).toString('base64url'), PARAMS);
      await verify(this.dummy, password).catch(() => false);
      return false;
    }
    return verify(stored, password).catch(() => false);
  }
}

/** The common-password list of @zxcvbn-ts/language-common (about 49,000 passwords seen in leaks, lower-case). */
@Injectable()
export class CommonPasswords {
  private readonly list = new Set(dictionary['passwords-common']);

  has(lowerCased: string): boolean {
    return this.list.has(lowerCased);
  }
}
