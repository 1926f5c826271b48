/**
 * The platform secrets units declare (`unit.secrets`): missing keys are
 * generated, existing ones are never touched. Values come from the system's
 * cryptographic random source; bcrypt hashes are made of the key they name.
 */
import { randomBytes, randomInt } from 'node:crypto';
import bcrypt from 'bcryptjs';
import { PlinthError, UsageError } from '../../lib/errors.js';
import type { VaultSecret } from '../../model/unit.js';

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export function randomPassword(length = 32): string {
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHANUMERIC[randomInt(ALPHANUMERIC.length)];
  return out;
}

export function randomToken(): string {
  return randomBytes(32).toString('hex');
}

export interface FilledSecret {
  /** Every key: the existing values and the new ones. */
  data: Record<string, string>;
  /** Names of the keys set now, in declaration order. */
  created: string[];
  /** Those of them set to a fixed value of the declaration (`admin-user: admin`): set, not generated, and not secret. */
  fixed: string[];
}

/** Keys whose value the declaration fixes (not secret: they are in the repository's source). */
export function fixedKeys(secret: VaultSecret): string[] {
  return secret.keys.filter((k) => typeof k.generate === 'object' && 'value' in k.generate).map((k) => k.name);
}

/**
 * Fills the keys `existing` lacks; the result keeps every existing value as it
 * was. A provided key (`{ provided }`) comes from `env`, or stops `up` saying
 * which variable to set.
 */
export function fillSecret(secret: VaultSecret, existing: Record<string, string>, env: Readonly<Record<string, string | undefined>> = {}): FilledSecret {
  const data: Record<string, string> = { ...existing };
  const created: string[] = [];
  const byName = new Map(secret.keys.map((k) => [k.name, k]));
  const fill = (name: string, chain: string[]): string => {
    if (data[name] !== undefined) return data[name]!;
    const key = byName.get(name);
    if (!key) throw new PlinthError(`Vault secret ${secret.path}: key ${chain[chain.length - 1]} is the bcrypt of ${name}, which the secret does not declare`);
    if (chain.includes(name)) throw new PlinthError(`Vault secret ${secret.path}: keys ${[...chain, name].join(' -> ')} refer to each other`);
    const g = key.generate;
    let value: string;
    if (g === 'password') value = randomPassword();
    else if (g === 'token') value = randomToken();
    else if ('value' in g) value = g.value;
    else if ('provided' in g) {
      const given = env[g.provided.env];
      if (given === undefined || given === '') {
        throw new UsageError(
          `Vault secret ${secret.path}: key ${name} is ${g.provided.what}, which Vault does not hold yet and only you can give: set ${g.provided.env} in the environment of plinth up (it goes into Vault, never into Git or the output) and run it again, or switch the component off in plinth.yaml`,
        );
      }
      value = given;
    }
    else value = bcrypt.hashSync(fill(g.bcryptOf, [...chain, name]), 10);
    data[name] = value;
    created.push(name);
    return value;
  };
  for (const k of secret.keys) fill(k.name, []);
  const set = secret.keys.map((k) => k.name).filter((n) => created.includes(n));
  const fixed = fixedKeys(secret);
  return { data, created: set, fixed: set.filter((n) => fixed.includes(n)) };
}
