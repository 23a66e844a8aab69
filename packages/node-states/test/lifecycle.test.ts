import { describe, expect, it } from 'vitest';
import { Invalid, InvalidState, InvalidStateRequested, NotAcceptable } from '@galvanic/errors';
import {
  POWER_STATES,
  POWER_TARGETS,
  PROVISION_STATES,
  STUCK_STATES_TREATED_AS_FAIL,
  assertCanDelete,
  canDelete,
  checkPowerRequest,
  deleteAllowedStates,
  failureStateOnTakeover,
  failureStateOnTimeout,
  isPowerState,
  isPowerTarget,
  targetPowerStateFor,
} from '../src/index';
import type { PowerRequest, ProvisionState } from '../src/index';

const NODE = '8f2f8362-943f-40e1-a078-3e975cd20654';

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('conductor takeover', () => {
  const onTakeover: Partial<Record<ProvisionState, ProvisionState>> = {
    deploying: 'deploy failed',
    cleaning: 'clean failed',
    verifying: 'enroll',
    inspecting: 'inspect failed',
    adopting: 'adopt failed',
    rescuing: 'rescue failed',
    unrescuing: 'unrescue failed',
    deleting: 'error',
    servicing: 'service failed',
  };

  it('fails the states whose work died with the conductor', () => {
    for (const state of PROVISION_STATES) {
      expect(failureStateOnTakeover(state), state).toBe(onTakeover[state] ?? null);
    }
    expect([...STUCK_STATES_TREATED_AS_FAIL].sort()).toEqual(Object.keys(onTakeover).sort());
  });

  it('leaves wait states to their callback timeouts', () => {
    const onTimeout: Partial<Record<ProvisionState, ProvisionState>> = {
      'wait call-back': 'deploy failed',
      'clean wait': 'clean failed',
      'inspect wait': 'inspect failed',
      'rescue wait': 'rescue failed',
      'service wait': 'service failed',
    };
    for (const state of PROVISION_STATES) {
      expect(failureStateOnTimeout(state), state).toBe(onTimeout[state] ?? null);
    }
  });
});

describe('node deletion', () => {
  it('is allowed in manageable, enroll, adopt failed and (by default) available', () => {
    expect(deleteAllowedStates()).toEqual(['manageable', 'enroll', 'adopt failed', 'available']);
    expect(deleteAllowedStates({ allowDeletingAvailable: false })).toEqual([
      'manageable',
      'enroll',
      'adopt failed',
    ]);
    for (const state of PROVISION_STATES) {
      const allowed = ['manageable', 'enroll', 'adopt failed', 'available'].includes(state);
      expect(canDelete(state, false), state).toBe(allowed);
      expect(canDelete(state, true), state).toBe(true);
      expect(canDelete(state, false, { allowDeletingAvailable: false }), state).toBe(
        allowed && state !== 'available',
      );
    }
  });

  it("refuses with Ironic's 409 wording", () => {
    const error = thrown(() => assertCanDelete(NODE, 'active', false));
    expect(error).toBeInstanceOf(InvalidState);
    expect((error as InvalidState).status).toBe(409);
    expect((error as Error).message).toBe(
      `Can not delete node "${NODE}" while it is in provision state "active". Valid provision ` +
        `states to perform deletion are: "('manageable', 'enroll', 'adopt failed', 'available')", ` +
        'or set the node into maintenance mode',
    );
    expect(
      (
        thrown(() =>
          assertCanDelete(NODE, 'available', false, { allowDeletingAvailable: false }),
        ) as Error
      ).message,
    ).toContain(`"('manageable', 'enroll', 'adopt failed')"`);
    expect(() => assertCanDelete(NODE, 'active', true)).not.toThrow();
    expect(() => assertCanDelete(NODE, 'enroll', false)).not.toThrow();
  });
});

describe('power', () => {
  const base: PowerRequest = {
    target: 'power on',
    nodeIdent: NODE,
    powerState: 'power on',
    provisionState: 'active',
  };

  it('names power states and targets as Ironic does', () => {
    expect([...POWER_STATES]).toEqual([
      'power on',
      'power off',
      'rebooting',
      'soft power off',
      'soft rebooting',
      'error',
    ]);
    expect([...POWER_TARGETS].sort()).toEqual(
      ['power off', 'power on', 'rebooting', 'soft power off', 'soft rebooting'].sort(),
    );
    expect(isPowerTarget('error')).toBe(false);
    expect(isPowerState('error')).toBe(true);
  });

  it('accepts every target', () => {
    for (const target of POWER_TARGETS) {
      expect(checkPowerRequest({ ...base, target })).toBe(target);
    }
  });

  it('refuses an unknown target naming the current power state', () => {
    const error = thrown(() => checkPowerRequest({ ...base, target: 'power sideways' }));
    expect(error).toBeInstanceOf(InvalidStateRequested);
    expect((error as InvalidStateRequested).status).toBe(400);
    expect((error as Error).message).toBe(
      `The requested action "power sideways" can not be performed on node "${NODE}" while it is in state "power on".`,
    );
    expect(
      (thrown(() => checkPowerRequest({ ...base, target: 'off', powerState: null })) as Error)
        .message,
    ).toBe(
      `The requested action "off" can not be performed on node "${NODE}" while it is in state "None".`,
    );
  });

  it('repeats the identifier the client used', () => {
    const error = thrown(() =>
      checkPowerRequest({ ...base, nodeIdent: 'node-7', target: 'power sideways' }),
    );
    expect((error as Error).message).toContain('on node "node-7"');
  });

  it('refuses power changes while cleaning, naming the provision state', () => {
    for (const provisionState of ['cleaning', 'clean wait'] as const) {
      const error = thrown(() => checkPowerRequest({ ...base, provisionState }));
      expect((error as Error).message).toBe(
        `The requested action "power on" can not be performed on node "${NODE}" while it is in state "${provisionState}".`,
      );
    }
    expect(checkPowerRequest({ ...base, provisionState: 'clean failed' })).toBe('power on');
  });

  it('gates soft targets and timeout at 1.27', () => {
    for (const target of ['soft power off', 'soft rebooting']) {
      expect(thrown(() => checkPowerRequest({ ...base, target, minor: 26 }))).toBeInstanceOf(
        NotAcceptable,
      );
      expect(checkPowerRequest({ ...base, target, minor: 27 })).toBe(target);
    }
    expect(thrown(() => checkPowerRequest({ ...base, timeout: 10, minor: 26 }))).toBeInstanceOf(
      NotAcceptable,
    );
    expect(checkPowerRequest({ ...base, timeout: 10, minor: 27 })).toBe('power on');
    expect(checkPowerRequest({ ...base, target: 'rebooting', minor: 1 })).toBe('rebooting');
    // The gate comes before the target check.
    expect(
      thrown(() => checkPowerRequest({ ...base, target: 'power sideways', timeout: 5, minor: 20 })),
    ).toBeInstanceOf(NotAcceptable);
  });

  it('refuses a timeout under 1', () => {
    // A timeout of 0 is falsy to Ironic, so it passes the 1.27 gate and fails here; -3 does not.
    expect(thrown(() => checkPowerRequest({ ...base, timeout: -3, minor: 20 }))).toBeInstanceOf(
      NotAcceptable,
    );
    for (const [timeout, minor] of [
      [0, 20],
      [-3, 27],
    ] as const) {
      const error = thrown(() => checkPowerRequest({ ...base, timeout, minor }));
      expect(error).toBeInstanceOf(Invalid);
      expect((error as Error).message).toBe('timeout has to be positive integer');
    }
    expect(checkPowerRequest({ ...base, timeout: null })).toBe('power on');
  });

  it('shows on or off as the target while an action runs', () => {
    expect(targetPowerStateFor('power on')).toBe('power on');
    expect(targetPowerStateFor('rebooting')).toBe('power on');
    expect(targetPowerStateFor('soft rebooting')).toBe('power on');
    expect(targetPowerStateFor('power off')).toBe('power off');
    expect(targetPowerStateFor('soft power off')).toBe('power off');
  });
});
