import type { NodeFields, NodeHistoryStore, NodeRow } from '@galvanic/db';
import type { Logger } from '@galvanic/logging';

/** What Ironic's node history calls the activity an event happened in, by the state left. */
const EVENT_TYPE_OF_STATE: Readonly<Record<string, string>> = {
  verifying: 'verify',
  inspecting: 'inspection',
  'inspect wait': 'inspection',
  cleaning: 'cleaning',
  'clean wait': 'cleaning',
  deploying: 'deploy',
  'wait call-back': 'deploy',
  deleting: 'deploy',
  adopting: 'adoption',
  rescuing: 'rescue',
  'rescue wait': 'rescue',
  unrescuing: 'rescue',
};

function eventTypeOf(before: NodeRow, changes: NodeFields): string {
  if ('target_power_state' in changes || 'power_state' in changes) return 'power';
  if (changes.fault) return 'monitoring';
  return EVENT_TYPE_OF_STATE[before.provision_state] ?? 'provisioning';
}

/**
 * Ironic's node history (API 1.78), kept by the conductor that changes a node: an ERROR event
 * whenever a write sets a new `last_error`, an INFO event whenever the provision state changes.
 * Each carries the state the node is in after the write (1.115) and how long it had been in the
 * state before. A failure to record is logged and never fails the node's work.
 */
export class NodeHistoryRecorder {
  constructor(
    private readonly store: NodeHistoryStore,
    private readonly host: string,
    private readonly logger: Logger,
  ) {}

  async afterSave(before: NodeRow, after: NodeRow, changes: NodeFields): Promise<void> {
    const error =
      typeof changes.last_error === 'string' &&
      changes.last_error !== '' &&
      changes.last_error !== before.last_error
        ? changes.last_error
        : undefined;
    const moved = after.provision_state !== before.provision_state;
    if (error === undefined && !moved) return;
    const since = before.provision_updated_at ?? before.created_at;
    try {
      await this.store.record({
        node_id: after.id,
        conductor: this.host,
        event_type: eventTypeOf(before, changes),
        severity: error === undefined ? 'INFO' : 'ERROR',
        event:
          error ??
          `Provision state changed from ${before.provision_state} to ${after.provision_state}`,
        user: null,
        state: after.provision_state,
        target_provision_state: after.target_provision_state,
        duration_seconds: Math.max(0, Math.floor((Date.now() - since.getTime()) / 1000)),
      });
    } catch (failure) {
      this.logger.warn('could not record a node history event', {
        node: after.uuid,
        reason: failure instanceof Error ? failure.message : String(failure),
      });
    }
  }
}
