import { describe, expect, it } from 'vitest';
import {
  InvalidState,
  InvalidStateRequested,
  NodeInMaintenance,
  NodeLocked,
  NotAcceptable,
} from '@galvanic/errors';
import {
  CONDUCTOR_EVENTS,
  FAILURE_STATES,
  HOLD_STATES,
  PROVISION_STATES,
  PROVISION_TARGETS,
  ProvisionActionNotUnderstood,
  STABLE_STATES,
  TRANSIENT_STATES,
  TRANSITIONS,
  WAIT_STATES,
  completionEvent,
  defaultTarget,
  edgesFrom,
  fireEvent,
  isActionable,
  isFailure,
  isHeld,
  isProvisionState,
  isProvisionTarget,
  isStable,
  isTransient,
  requestTransition,
} from '../src/index';
import type { ConductorEvent, ProvisionState, ProvisionTarget } from '../src/index';

const NODE = '8f2f8362-943f-40e1-a078-3e975cd20654';

type Row = readonly [
  ProvisionState,
  readonly ProvisionTarget[],
  ProvisionState,
  ProvisionState | null,
];

/** Verb-initiated edges: from, the API targets that take it, next state, target_provision_state. */
const API_EDGES: readonly Row[] = [
  ['enroll', ['manage'], 'verifying', 'manageable'],
  ['manageable', ['provide'], 'cleaning', 'available'],
  ['manageable', ['clean'], 'cleaning', 'manageable'],
  ['manageable', ['inspect'], 'inspecting', 'manageable'],
  ['manageable', ['adopt'], 'adopting', 'active'],
  ['inspect wait', ['abort'], 'inspect failed', 'manageable'],
  ['inspect failed', ['manage'], 'manageable', null],
  ['inspect failed', ['inspect'], 'inspecting', 'manageable'],
  ['clean wait', ['abort'], 'clean failed', 'available'],
  ['clean failed', ['manage'], 'manageable', null],
  ['clean hold', ['unhold'], 'clean wait', 'available'],
  ['clean hold', ['abort'], 'clean failed', 'available'],
  ['deploy hold', ['unhold'], 'wait call-back', 'active'],
  ['deploy hold', ['abort'], 'deploy failed', 'active'],
  ['available', ['manage'], 'manageable', null],
  ['available', ['active', 'deploy'], 'deploying', 'active'],
  ['adopt failed', ['adopt'], 'adopting', 'active'],
  ['adopt failed', ['manage'], 'manageable', null],
  ['wait call-back', ['deleted', 'undeploy'], 'deleting', 'available'],
  ['wait call-back', ['abort'], 'deploy failed', 'active'],
  ['deploy failed', ['active', 'deploy'], 'deploying', 'active'],
  ['deploy failed', ['rebuild'], 'deploying', 'active'],
  ['deploy failed', ['deleted', 'undeploy'], 'deleting', 'available'],
  ['active', ['rebuild'], 'deploying', 'active'],
  ['active', ['deleted', 'undeploy'], 'deleting', 'available'],
  ['active', ['rescue'], 'rescuing', 'rescue'],
  ['error', ['rebuild'], 'deploying', 'active'],
  ['error', ['deleted', 'undeploy'], 'deleting', 'available'],
  ['rescue wait', ['abort'], 'rescue failed', 'rescue'],
  ['rescue wait', ['deleted', 'undeploy'], 'deleting', 'available'],
  ['rescue', ['rescue'], 'rescuing', 'rescue'],
  ['rescue', ['unrescue'], 'unrescuing', 'active'],
  ['rescue', ['deleted', 'undeploy'], 'deleting', 'available'],
  ['rescue failed', ['rescue'], 'rescuing', 'rescue'],
  ['rescue failed', ['unrescue'], 'unrescuing', 'active'],
  ['rescue failed', ['deleted', 'undeploy'], 'deleting', 'available'],
  ['unrescue failed', ['rescue'], 'rescuing', 'rescue'],
  ['unrescue failed', ['unrescue'], 'unrescuing', 'active'],
  ['unrescue failed', ['deleted', 'undeploy'], 'deleting', 'available'],
  ['active', ['service'], 'servicing', 'active'],
  ['service wait', ['abort'], 'service failed', 'active'],
  ['service wait', ['deleted', 'undeploy'], 'deleting', 'available'],
  ['service failed', ['service'], 'servicing', 'active'],
  ['service failed', ['rescue'], 'rescuing', 'rescue'],
  ['service failed', ['abort'], 'active', null],
  ['service failed', ['deleted', 'undeploy'], 'deleting', 'available'],
];

type EventRow = readonly [ProvisionState, ConductorEvent, ProvisionState, ProvisionState | null];

/** Conductor-fired edges, with the target shown afterwards when no target is carried in. */
const CONDUCTOR_EDGES: readonly EventRow[] = [
  ['verifying', 'done', 'manageable', null],
  ['verifying', 'fail', 'enroll', null],
  ['inspecting', 'done', 'manageable', null],
  ['inspecting', 'fail', 'inspect failed', 'manageable'],
  ['inspecting', 'wait', 'inspect wait', 'manageable'],
  ['inspect wait', 'done', 'manageable', null],
  ['inspect wait', 'fail', 'inspect failed', 'manageable'],
  ['inspect wait', 'resume', 'inspecting', 'manageable'],
  ['cleaning', 'done', 'available', null],
  ['cleaning', 'manage', 'manageable', null],
  ['cleaning', 'fail', 'clean failed', 'available'],
  ['cleaning', 'wait', 'clean wait', 'available'],
  ['clean wait', 'resume', 'cleaning', 'available'],
  ['clean wait', 'fail', 'clean failed', 'available'],
  ['cleaning', 'hold', 'clean hold', 'available'],
  ['clean wait', 'hold', 'clean hold', 'available'],
  ['deploying', 'hold', 'deploy hold', 'active'],
  ['wait call-back', 'hold', 'deploy hold', 'active'],
  ['adopting', 'done', 'active', null],
  ['adopting', 'fail', 'adopt failed', 'active'],
  ['deploying', 'done', 'active', null],
  ['deploying', 'fail', 'deploy failed', 'active'],
  ['deploying', 'wait', 'wait call-back', 'active'],
  ['wait call-back', 'resume', 'deploying', 'active'],
  ['wait call-back', 'fail', 'deploy failed', 'active'],
  ['deleting', 'clean', 'cleaning', 'available'],
  ['deleting', 'fail', 'error', null],
  ['rescuing', 'done', 'rescue', null],
  ['rescuing', 'fail', 'rescue failed', 'rescue'],
  ['rescuing', 'wait', 'rescue wait', 'rescue'],
  ['rescue wait', 'resume', 'rescuing', 'rescue'],
  ['rescue wait', 'fail', 'rescue failed', 'rescue'],
  ['unrescuing', 'done', 'active', null],
  ['unrescuing', 'fail', 'unrescue failed', 'active'],
  ['servicing', 'done', 'active', null],
  ['servicing', 'fail', 'service failed', 'active'],
  ['servicing', 'wait', 'service wait', 'active'],
  ['service wait', 'resume', 'servicing', 'active'],
  ['service wait', 'fail', 'service failed', 'active'],
];

function apiEdge(state: ProvisionState, target: ProvisionTarget): Row | undefined {
  return API_EDGES.find(([from, targets]) => from === state && targets.includes(target));
}

function conductorEdge(state: ProvisionState, event: ConductorEvent): EventRow | undefined {
  return CONDUCTOR_EDGES.find(([from, ev]) => from === state && ev === event);
}

function refusal(action: string, state: string): string {
  return `The requested action "${action}" can not be performed on node "${NODE}" while it is in state "${state}".`;
}

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('provision states', () => {
  it('are the 29 names Ironic shows (all but service hold), in its spelling', () => {
    expect([...PROVISION_STATES].sort()).toEqual(
      [
        'enroll',
        'verifying',
        'manageable',
        'inspecting',
        'inspect wait',
        'inspect failed',
        'cleaning',
        'clean wait',
        'clean failed',
        'clean hold',
        'available',
        'deploying',
        'wait call-back',
        'deploy failed',
        'deploy hold',
        'active',
        'deleting',
        'error',
        'adopting',
        'adopt failed',
        'rescuing',
        'rescue wait',
        'rescue failed',
        'rescue',
        'unrescuing',
        'unrescue failed',
        'servicing',
        'service wait',
        'service failed',
      ].sort(),
    );
    expect(isProvisionState('wait call-back')).toBe(true);
    expect(isProvisionState('deploy wait')).toBe(false);
    expect(isProvisionState(undefined)).toBe(false);
  });

  it('split into stable, transient, failure and hold states with nothing left over', () => {
    expect([...STABLE_STATES].sort()).toEqual(
      ['active', 'available', 'enroll', 'error', 'manageable', 'rescue'].sort(),
    );
    expect([...FAILURE_STATES].sort()).toEqual(
      [
        'adopt failed',
        'clean failed',
        'deploy failed',
        'inspect failed',
        'rescue failed',
        'unrescue failed',
        'service failed',
      ].sort(),
    );
    for (const state of PROVISION_STATES) {
      const kinds = [isStable(state), isTransient(state), isFailure(state), isHeld(state)].filter(
        Boolean,
      );
      expect(kinds, state).toHaveLength(1);
    }
    expect(TRANSIENT_STATES.size).toBe(14);
    expect([...HOLD_STATES].sort()).toEqual(['clean hold', 'deploy hold']);
    expect([...WAIT_STATES].every((s) => TRANSIENT_STATES.has(s))).toBe(true);
  });

  it('give stable states no target and every other state one', () => {
    for (const state of PROVISION_STATES) {
      if (isStable(state)) expect(defaultTarget(state), state).toBeNull();
      else expect(defaultTarget(state), state).not.toBeNull();
    }
  });
});

describe('transition table', () => {
  it('holds exactly the expected edges', () => {
    const expected = [
      ...API_EDGES.flatMap(([from, targets, to]) =>
        targets
          .filter((t) => t !== 'deploy' && t !== 'undeploy')
          .map((t) => {
            const event = t === 'active' ? 'deploy' : t === 'deleted' ? 'delete' : t;
            return `${from} --${event}--> ${to} (api)`;
          }),
      ),
      ...CONDUCTOR_EDGES.map(([from, ev, to]) => `${from} --${ev}--> ${to} (conductor)`),
    ].sort();
    const actual = TRANSITIONS.map((e) => `${e.from} --${e.event}--> ${e.to} (${e.by})`).sort();
    expect(actual).toEqual(expected);
    expect(new Set(actual).size).toBe(actual.length);
  });

  it('answers is_actionable per state', () => {
    expect(isActionable('available', 'deploy')).toBe(true);
    expect(isActionable('available', 'active')).toBe(false);
    expect(isActionable('deleting', 'clean')).toBe(true);
    expect(isActionable('enroll', 'done')).toBe(false);
    expect(edgesFrom('enroll').map((e) => e.event)).toEqual(['manage']);
    expect(edgesFrom('verifying').length).toBe(2);
  });
});

describe('requestTransition', () => {
  for (const [from, targets, to, target] of API_EDGES) {
    for (const verb of targets) {
      it(`${from} --${verb}--> ${to} (target ${target})`, () => {
        const result = requestTransition(from, verb, NODE);
        expect(result.next).toBe(to);
        expect(result.target).toBe(target);
      });
    }
  }

  it("names Ironic's sample refusal exactly", () => {
    const error = thrown(() => requestTransition('manageable', 'active', NODE));
    expect(error).toBeInstanceOf(InvalidStateRequested);
    expect((error as InvalidStateRequested).status).toBe(400);
    expect((error as Error).message).toBe(
      'The requested action "active" can not be performed on node "8f2f8362-943f-40e1-a078-3e975cd20654" while it is in state "manageable".',
    );
  });

  describe('refuses every other verb in every state', () => {
    for (const state of PROVISION_STATES) {
      for (const verb of PROVISION_TARGETS) {
        if (apiEdge(state, verb)) continue;
        it(`${verb} in ${state}`, () => {
          const error = thrown(() => requestTransition(state, verb, NODE));
          expect(error).toBeInstanceOf(InvalidStateRequested);
          expect((error as Error).message).toBe(refusal(verb, state));
        });
      }
    }
  });

  it('answers 409 NodeLocked instead when the node is reserved', () => {
    const error = thrown(() =>
      requestTransition('deploying', 'deleted', NODE, { reservation: 'conductor-1' }),
    );
    expect(error).toBeInstanceOf(NodeLocked);
    expect((error as Error).message).toBe(
      `Node ${NODE} is locked by host conductor-1, please retry after the current operation is completed.`,
    );
    // A valid request on a reserved node is not refused here; the lock is the conductor's business.
    expect(requestTransition('clean wait', 'abort', NODE, { reservation: 'c' }).next).toBe(
      'clean failed',
    );
  });

  it('refuses conductor-only edges that share a verb name', () => {
    expect((thrown(() => requestTransition('cleaning', 'manage', NODE)) as Error).message).toBe(
      refusal('manage', 'cleaning'),
    );
    expect((thrown(() => requestTransition('deleting', 'clean', NODE)) as Error).message).toBe(
      refusal('clean', 'deleting'),
    );
  });

  it('refuses unknown targets with the same wording', () => {
    for (const state of PROVISION_STATES) {
      const error = thrown(() => requestTransition(state, 'power sideways', NODE));
      expect(error).toBeInstanceOf(InvalidStateRequested);
      expect((error as Error).message).toBe(refusal('power sideways', state));
    }
    expect((thrown(() => requestTransition('available', 'done', NODE)) as Error).message).toBe(
      refusal('done', 'available'),
    );
  });

  it('does not understand machine events the API does not dispatch', () => {
    for (const [from, event] of CONDUCTOR_EDGES) {
      if (isProvisionTarget(event)) continue;
      const error = thrown(() => requestTransition(from, event, NODE));
      expect(error).toBeInstanceOf(ProvisionActionNotUnderstood);
      expect(error).toBeInstanceOf(InvalidStateRequested);
      expect((error as InvalidStateRequested).status).toBe(400);
      expect((error as Error).message).toBe(
        `The requested action "${event}" could not be understood.`,
      );
    }
    expect((thrown(() => requestTransition('active', 'delete', NODE)) as Error).message).toBe(
      'The requested action "delete" could not be understood.',
    );
  });

  it('services an active node (1.87) and lets service wait and service failed be aborted', () => {
    expect(requestTransition('active', 'service', NODE, { minor: 87 })).toEqual({
      event: 'service',
      next: 'servicing',
      target: 'active',
    });
    expect(requestTransition('service wait', 'abort', NODE, { minor: 87 })).toEqual({
      event: 'abort',
      next: 'service failed',
      target: 'active',
    });
    expect(requestTransition('service failed', 'abort', NODE, { minor: 87 })).toEqual({
      event: 'abort',
      next: 'active',
      target: null,
    });
    expect(requestTransition('service failed', 'service', NODE).next).toBe('servicing');
    expect(requestTransition('service failed', 'rescue', NODE).next).toBe('rescuing');
    expect(requestTransition('service wait', 'deleted', NODE).next).toBe('deleting');
    expect(thrown(() => requestTransition('available', 'service', NODE))).toBeInstanceOf(
      InvalidStateRequested,
    );
    expect(thrown(() => requestTransition('servicing', 'abort', NODE))).toBeInstanceOf(
      InvalidStateRequested,
    );
  });

  it('gates verbs by microversion', () => {
    const gates: Record<ProvisionTarget, [ProvisionState, number]> = {
      active: ['available', 1],
      rebuild: ['active', 1],
      deleted: ['active', 1],
      manage: ['enroll', 4],
      provide: ['manageable', 4],
      inspect: ['manageable', 6],
      abort: ['clean wait', 13],
      clean: ['manageable', 15],
      adopt: ['manageable', 17],
      rescue: ['active', 38],
      unrescue: ['rescue', 38],
      deploy: ['available', 73],
      undeploy: ['active', 73],
      service: ['active', 87],
      unhold: ['clean hold', 85],
    };
    for (const [verb, [state, min]] of Object.entries(gates) as [
      ProvisionTarget,
      [ProvisionState, number],
    ][]) {
      expect(requestTransition(state, verb, NODE, { minor: min }).next).toBeDefined();
      if (min > 1) {
        expect(
          thrown(() => requestTransition(state, verb, NODE, { minor: min - 1 })),
        ).toBeInstanceOf(NotAcceptable);
      }
    }
    // The version gate comes before the state check.
    expect(thrown(() => requestTransition('enroll', 'deploy', NODE, { minor: 72 }))).toBeInstanceOf(
      NotAcceptable,
    );
  });

  it('needs 1.41 to abort inspection', () => {
    expect(requestTransition('inspect wait', 'abort', NODE, { minor: 41 }).next).toBe(
      'inspect failed',
    );
    expect(
      thrown(() => requestTransition('inspect wait', 'abort', NODE, { minor: 40 })),
    ).toBeInstanceOf(NotAcceptable);
    expect(requestTransition('clean wait', 'abort', NODE, { minor: 13 }).next).toBe('clean failed');
  });

  it('refuses deploying and rebuilding in maintenance, before the state check', () => {
    for (const verb of ['active', 'deploy', 'rebuild'] as const) {
      const error = thrown(() => requestTransition('enroll', verb, NODE, { maintenance: true }));
      expect(error).toBeInstanceOf(NodeInMaintenance);
      expect((error as Error).message).toBe(
        `The provisioning operation can't be performed on node ${NODE} because it's in maintenance mode.`,
      );
    }
    expect(requestTransition('active', 'deleted', NODE, { maintenance: true }).next).toBe(
      'deleting',
    );
  });

  it('goes straight to available on provide when automated cleaning is off', () => {
    expect(requestTransition('manageable', 'provide', NODE, { automatedClean: false })).toEqual({
      event: 'provide',
      next: 'available',
      target: null,
    });
    expect(requestTransition('manageable', 'provide', NODE, { automatedClean: true }).next).toBe(
      'cleaning',
    );
    // Manual cleaning is not affected.
    expect(requestTransition('manageable', 'clean', NODE, { automatedClean: false }).next).toBe(
      'cleaning',
    );
  });

  it('keeps the manual-cleaning target when leaving clean hold', () => {
    const current = { currentTarget: 'manageable' as const };
    expect(requestTransition('clean hold', 'unhold', NODE, current)).toEqual({
      event: 'unhold',
      next: 'clean wait',
      target: 'manageable',
    });
    expect(requestTransition('clean hold', 'abort', NODE, current).target).toBe('manageable');
    expect(fireEvent('cleaning', 'hold', current).target).toBe('manageable');
  });

  it('refuses unhold outside the hold states, in Ironic words', () => {
    expect((thrown(() => requestTransition('active', 'unhold', NODE)) as Error).message).toBe(
      refusal('unhold', 'active'),
    );
    expect(thrown(() => requestTransition('clean wait', 'unhold', NODE))).toBeInstanceOf(
      InvalidStateRequested,
    );
  });

  it('keeps the manual-cleaning target when aborting clean wait', () => {
    expect(
      requestTransition('clean wait', 'abort', NODE, { currentTarget: 'manageable' }).target,
    ).toBe('manageable');
    expect(
      requestTransition('clean wait', 'abort', NODE, { currentTarget: 'available' }).target,
    ).toBe('available');
  });

  it('reports the machine event fired', () => {
    expect(requestTransition('available', 'active', NODE).event).toBe('deploy');
    expect(requestTransition('active', 'undeploy', NODE).event).toBe('delete');
    expect(requestTransition('active', 'rebuild', NODE).event).toBe('rebuild');
  });
});

describe('fireEvent', () => {
  for (const [from, event, to, target] of CONDUCTOR_EDGES) {
    it(`${from} --${event}--> ${to} (target ${target})`, () => {
      expect(fireEvent(from, event)).toEqual({ event, next: to, target });
    });
  }

  describe('refuses every other conductor event in every state', () => {
    for (const state of PROVISION_STATES) {
      for (const event of CONDUCTOR_EVENTS) {
        if (conductorEdge(state, event)) continue;
        it(`${event} in ${state}`, () => {
          const error = thrown(() => fireEvent(state, event));
          expect(error).toBeInstanceOf(InvalidState);
          expect((error as InvalidState).status).toBe(409);
          expect((error as Error).message).toBe(
            `Can not transition from state '${state}' on event '${event}' (no defined transition)`,
          );
        });
      }
    }
  });

  it('carries the manual-cleaning target through wait, resume and fail', () => {
    const started = requestTransition('manageable', 'clean', NODE);
    expect(started).toMatchObject({ next: 'cleaning', target: 'manageable' });
    const waiting = fireEvent('cleaning', 'wait', { currentTarget: started.target });
    expect(waiting).toMatchObject({ next: 'clean wait', target: 'manageable' });
    const resumed = fireEvent('clean wait', 'resume', { currentTarget: waiting.target });
    expect(resumed).toMatchObject({ next: 'cleaning', target: 'manageable' });
    expect(fireEvent('cleaning', 'fail', { currentTarget: resumed.target })).toMatchObject({
      next: 'clean failed',
      target: 'manageable',
    });
    expect(completionEvent('cleaning', resumed.target)).toBe('manage');
    expect(fireEvent('cleaning', 'manage', { currentTarget: resumed.target })).toMatchObject({
      next: 'manageable',
      target: null,
    });
  });

  it('does not carry a target into states of another flow', () => {
    expect(fireEvent('deploying', 'fail', { currentTarget: 'manageable' }).target).toBe('active');
    expect(fireEvent('deleting', 'clean', { currentTarget: 'available' }).target).toBe('available');
  });

  it('finishes automated cleaning with done', () => {
    expect(completionEvent('cleaning', 'available')).toBe('done');
    expect(completionEvent('cleaning', null)).toBe('done');
    expect(completionEvent('deploying', 'active')).toBe('done');
  });

  it('ends tear-down in available when automated cleaning is off', () => {
    expect(fireEvent('deleting', 'clean', { automatedClean: false })).toEqual({
      event: 'clean',
      next: 'available',
      target: null,
    });
    expect(fireEvent('deleting', 'fail', { automatedClean: false }).next).toBe('error');
  });

  it('walks a full deploy and tear-down', () => {
    let step = requestTransition('available', 'active', NODE);
    expect(step).toMatchObject({ next: 'deploying', target: 'active' });
    step = fireEvent(step.next, 'wait');
    expect(step).toMatchObject({ next: 'wait call-back', target: 'active' });
    step = fireEvent(step.next, 'resume');
    step = fireEvent(step.next, 'done');
    expect(step).toMatchObject({ next: 'active', target: null });
    step = requestTransition(step.next, 'deleted', NODE);
    expect(step).toMatchObject({ next: 'deleting', target: 'available' });
    step = fireEvent(step.next, 'clean');
    expect(step).toMatchObject({ next: 'cleaning', target: 'available' });
    step = fireEvent(step.next, completionEvent(step.next, step.target));
    expect(step).toMatchObject({ next: 'available', target: null });
  });
});
