import { readFileSync, statSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { HTTPForbidden } from '@galvanic/errors';
import type { Logger } from '@galvanic/logging';
import { evaluateCheck, parseCheck, type Check } from './check-language';

/** Ironic's `[DEFAULT] service_project_name`, which the `service_role` rule compares with. */
const SERVICE_PROJECT_NAME = 'service';
/** How often, at most, the policy file's modification time is looked at. */
const FILE_CHECK_INTERVAL_MS = 1000;

/**
 * Ironic's policy engine: the rules in code, overridden by an operator's policy file (YAML or
 * JSON, Ironic's rule names) that is re-read when it changes. Like Ironic, rules are enforced
 * only with `auth_strategy = keystone`; the other modes have no roles to check.
 */
export class PolicyEnforcer {
  private rules = new Map<string, Check>();
  private fileStamp: string | undefined;
  private lastFileCheck = 0;
  private loads = 0;

  constructor(
    private readonly defaults: Readonly<Record<string, string>>,
    readonly enforced: boolean,
    private readonly logger: Logger,
    private readonly policyFile?: string,
  ) {
    this.rules = this.compile({});
    if (policyFile) this.reloadIfChanged(true);
  }

  private compile(overrides: Readonly<Record<string, string>>): Map<string, Check> {
    const rules = new Map<string, Check>();
    for (const [name, text] of Object.entries({ ...this.defaults, ...overrides })) {
      rules.set(name, parseCheck(text));
    }
    return rules;
  }

  private readOverrides(path: string): Record<string, string> {
    const parsed = parseYaml(readFileSync(path, 'utf8')) as unknown;
    if (parsed === null || parsed === undefined) return {};
    if (typeof parsed !== 'object' || Array.isArray(parsed))
      throw new Error('expected a map of rule names to check strings');
    const overrides: Record<string, string> = {};
    for (const [name, text] of Object.entries(parsed as Record<string, unknown>)) {
      if (typeof text !== 'string') throw new Error(`rule ${name} is not a check string`);
      overrides[name] = text;
    }
    return overrides;
  }

  /** Changes whenever the rules in force change (a policy file loaded again). */
  get rulesVersion(): number {
    this.reloadIfChanged();
    return this.loads;
  }

  /** Re-reads the policy file when it changed; a broken file keeps the rules in force. */
  private reloadIfChanged(atStart = false): void {
    const path = this.policyFile;
    if (!path) return;
    const now = Date.now();
    if (!atStart && now - this.lastFileCheck < FILE_CHECK_INTERVAL_MS) return;
    this.lastFileCheck = now;
    let stamp: string;
    try {
      const stat = statSync(path);
      stamp = `${stat.mtimeMs}:${stat.size}:${stat.ino}`;
    } catch (error) {
      if (atStart) throw new Error(`policy file ${path}: ${(error as Error).message}`);
      return;
    }
    if (stamp === this.fileStamp) return;
    try {
      this.rules = this.compile(this.readOverrides(path));
      this.fileStamp = stamp;
      this.loads += 1;
      this.logger.info('policy file loaded', { path });
    } catch (error) {
      if (atStart) throw new Error(`policy file ${path}: ${(error as Error).message}`);
      this.logger.error('policy file not reloaded, the rules in force stay', {
        path,
        reason: (error as Error).message,
      });
    }
  }

  /** Whether the rule allows the caller on the target (oslo's `enforce`); unknown rules refuse. */
  check(
    rule: string,
    credentials: Readonly<Record<string, unknown>>,
    target: Readonly<Record<string, unknown>> = {},
  ): boolean {
    this.reloadIfChanged();
    const fullTarget = {
      ...credentials,
      'config.service_project_name': SERVICE_PROJECT_NAME,
      ...target,
    };
    const seen = new Set<string>();
    const evaluate = (name: string): boolean => {
      const check = this.rules.get(name);
      if (!check || seen.has(name)) return false;
      seen.add(name);
      try {
        return evaluateCheck(check, {
          credentials,
          target: fullTarget,
          rule: evaluate,
        });
      } finally {
        seen.delete(name);
      }
    };
    return evaluate(rule);
  }

  /** Ironic's `policy.authorize`: Ironic's 403 naming the rule when it refuses. */
  authorize(
    rule: string,
    credentials: Readonly<Record<string, unknown>>,
    target: Readonly<Record<string, unknown>> = {},
  ): void {
    if (!this.enforced) return;
    if (!this.check(rule, credentials, target)) {
      this.logger.info('policy refused a request', { rule, user: credentials.user_id });
      throw new HTTPForbidden(rule);
    }
  }
}
