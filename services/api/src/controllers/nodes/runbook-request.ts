import type { Request } from 'express';
import type { NodeRow, RunbookRow, RunbookStore } from '@galvanic/db';
import { BadRequest, NotAcceptable } from '@galvanic/errors';
import { pythonRepr } from '../../resources/rules';
import { MINOR_112_RUNBOOK_TRAITS, MINOR_92_RUNBOOKS } from '../../resources/versions';
import { findRunbook } from '../runbooks/router';

/** The runbook a provisioning request names (`runbook`, 1.92), or undefined when it names none. */
export async function runbookOfRequest(
  req: Request,
  runbooks: RunbookStore,
): Promise<RunbookRow | undefined> {
  const body: unknown = req.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const ident = (body as { runbook?: unknown }).runbook;
  if (ident === undefined || ident === null) return undefined;
  if (req.apiVersion.minor < MINOR_92_RUNBOOKS) throw new NotAcceptable();
  if (typeof ident !== 'string')
    throw new BadRequest(`Invalid runbook: ${pythonRepr(ident)} is not a string`);
  return findRunbook(runbooks, ident);
}

/**
 * Ironic's approval of a runbook for a node: before 1.112 the runbook's name must be one of the
 * node's traits; from 1.112 the node must have one of the runbook's traits.
 */
export function checkRunbookApproved(req: Request, node: NodeRow, runbook: RunbookRow): void {
  const nodeTraits = new Set(node.traits);
  if (req.apiVersion.minor < MINOR_112_RUNBOOK_TRAITS) {
    if (!nodeTraits.has(runbook.name))
      throw new BadRequest(
        `This runbook has not been approved for use on this node ${node.uuid}. Please ask an ` +
          'administrator to add it to your node traits.',
      );
    return;
  }
  if (runbook.traits.length === 0)
    throw new BadRequest(
      `Runbook ${runbook.uuid} has no traits configured. Please ask an administrator to add ` +
        'traits to the runbook.',
    );
  if (!runbook.traits.some((trait) => nodeTraits.has(trait))) {
    const traits = pythonRepr([...runbook.traits].sort());
    throw new BadRequest(
      `This runbook has not been approved for use on this node ${node.uuid}. The node does not ` +
        `have any of the runbook's traits ${traits}. Please ask an administrator to add a ` +
        'matching trait to your node.',
    );
  }
}

/** A runbook's steps as a provisioning request carries them, in the runbook's order. */
export function stepsOfRunbook(runbook: RunbookRow): Record<string, unknown>[] {
  return [...runbook.steps]
    .sort((a, b) => a.order - b.order)
    .map((step) => ({ interface: step.interface, step: step.step, args: step.args ?? {} }));
}
