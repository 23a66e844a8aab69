/**
 * oslo.policy's check language: `role:admin and (project_id:%(node.owner)s or rule:other)`,
 * with `not`, `@` (always), `!` (never) and the empty rule (always). Parsed once per rule text.
 */

export type Check =
  | { kind: 'always' }
  | { kind: 'never' }
  | { kind: 'rule'; name: string }
  | { kind: 'role'; role: string }
  | { kind: 'generic'; key: string; match: string }
  | { kind: 'not'; check: Check }
  | { kind: 'and' | 'or'; checks: Check[] };

/** What checks are evaluated against. */
export interface CheckInput {
  /** The caller's values (oslo's `creds`). */
  credentials: Readonly<Record<string, unknown>>;
  /** The object acted on, as flat keys such as `node.owner`, plus the caller's values. */
  target: Readonly<Record<string, unknown>>;
  /** Evaluates a named rule (`rule:NAME`). */
  rule(name: string): boolean;
}

export class PolicySyntaxError extends Error {}

function tokenize(text: string): string[] {
  // As oslo does: parentheses are peeled off the ends of each word, so `%(node.owner)s` stays whole.
  const tokens: string[] = [];
  for (const word of text.split(/\s+/).filter(Boolean)) {
    let start = 0;
    while (word[start] === '(') {
      tokens.push('(');
      start += 1;
    }
    let end = word.length;
    let closing = 0;
    while (end > start && word[end - 1] === ')') {
      end -= 1;
      closing += 1;
    }
    if (end > start) tokens.push(word.slice(start, end));
    for (let i = 0; i < closing; i += 1) tokens.push(')');
  }
  return tokens;
}

function leaf(token: string): Check {
  if (token === '@') return { kind: 'always' };
  if (token === '!') return { kind: 'never' };
  const separator = token.indexOf(':');
  if (separator < 0) throw new PolicySyntaxError(`not a check: ${token}`);
  const key = token.slice(0, separator);
  const match = token.slice(separator + 1);
  if (key === 'rule') return { kind: 'rule', name: match };
  if (key === 'role') return { kind: 'role', role: match.toLowerCase() };
  return { kind: 'generic', key, match };
}

/** Parses a rule's text; throws PolicySyntaxError on text oslo.policy would refuse. */
export function parseCheck(text: string): Check {
  const tokens = tokenize(text);
  if (tokens.length === 0) return { kind: 'always' };
  let position = 0;
  const peek = () => tokens[position];

  const parseOr = (): Check => {
    const checks = [parseAnd()];
    while (peek()?.toLowerCase() === 'or') {
      position += 1;
      checks.push(parseAnd());
    }
    return checks.length === 1 ? checks[0]! : { kind: 'or', checks };
  };
  const parseAnd = (): Check => {
    const checks = [parseNot()];
    while (peek()?.toLowerCase() === 'and') {
      position += 1;
      checks.push(parseNot());
    }
    return checks.length === 1 ? checks[0]! : { kind: 'and', checks };
  };
  const parseNot = (): Check => {
    if (peek()?.toLowerCase() === 'not') {
      position += 1;
      return { kind: 'not', check: parseNot() };
    }
    return parseAtom();
  };
  const parseAtom = (): Check => {
    const token = tokens[position];
    if (token === undefined) throw new PolicySyntaxError(`unexpected end of rule: ${text}`);
    position += 1;
    if (token === '(') {
      const inner = parseOr();
      if (tokens[position] !== ')') throw new PolicySyntaxError(`unbalanced parentheses: ${text}`);
      position += 1;
      return inner;
    }
    if (token === ')' || ['and', 'or'].includes(token.toLowerCase()))
      throw new PolicySyntaxError(`unexpected ${token} in: ${text}`);
    return leaf(token);
  };

  const check = parseOr();
  if (position !== tokens.length) throw new PolicySyntaxError(`unexpected ${peek()} in: ${text}`);
  return check;
}

/** `%(key)s` substituted from the target; undefined when the target lacks a key (no match). */
function substitute(match: string, target: Readonly<Record<string, unknown>>): string | undefined {
  let missing = false;
  const value = match.replace(/%\(([^)]+)\)s/g, (_all, key: string) => {
    if (!Object.hasOwn(target, key)) {
      missing = true;
      return '';
    }
    const found = target[key];
    return found === null || found === undefined ? 'None' : String(found);
  });
  return missing ? undefined : value;
}

function literal(text: string): string | boolean | undefined {
  if (text === 'True') return true;
  if (text === 'False') return false;
  const quoted = /^'(.*)'$|^"(.*)"$/.exec(text);
  return quoted ? (quoted[1] ?? quoted[2]) : undefined;
}

function genericMatches(key: string, match: string, input: CheckInput): boolean {
  const expected = substitute(match, input.target);
  if (expected === undefined) return false;
  const constant = literal(key);
  if (constant !== undefined) return String(constant) === expected;
  if (!Object.hasOwn(input.credentials, key)) return false;
  const actual = input.credentials[key];
  if (Array.isArray(actual)) return actual.map(String).includes(expected);
  // oslo compares str(None) too, so a caller without a project would match an unowned node's
  // `project_id:%(node.owner)s`; an absent value matches nothing here.
  if (actual === null || actual === undefined) return false;
  return String(actual) === expected;
}

/** Evaluates a parsed check. */
export function evaluateCheck(check: Check, input: CheckInput): boolean {
  switch (check.kind) {
    case 'always':
      return true;
    case 'never':
      return false;
    case 'rule':
      return input.rule(check.name);
    case 'role': {
      const roles = input.credentials.roles;
      const role = substitute(check.role, input.target)?.toLowerCase();
      return Array.isArray(roles) && roles.some((r) => String(r).toLowerCase() === role);
    }
    case 'generic':
      return genericMatches(check.key, check.match, input);
    case 'not':
      return !evaluateCheck(check.check, input);
    case 'and':
      return check.checks.every((c) => evaluateCheck(c, input));
    case 'or':
      return check.checks.some((c) => evaluateCheck(c, input));
  }
}
