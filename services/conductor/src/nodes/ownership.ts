import type { ConductorDirectory, ConductorMembership } from '@galvanic/cluster';
import { NodeOwnerChanged, NoValidHost, ServiceUnavailable } from '@galvanic/errors';
import type { Logger } from '@galvanic/logging';

/** A refusal re-reads membership first unless it was read this recently. */
const RECHECK_AFTER_MS = 200;

/** An RPC call the api routed to this conductor: when it was issued and when its caller gives up. */
export interface RoutedCall {
  /** Epoch ms, the api's clock. */
  issuedAt: number;
  /** Epoch ms. */
  deadline: number;
}

/** What routing keys a node by. */
export interface RoutedNode {
  uuid: string;
  driver: string;
  conductor_group: string;
}

/**
 * Decides whether this conductor may run a call the api routed to it, before anything runs: the
 * caller still waits, this conductor is still a live member (a process that was frozen finds its
 * own heartbeat old), the call was not issued while it counted as dead, and the ring over the
 * live conductors maps the node to it. Otherwise it throws `NodeOwnerChanged`, which tells the
 * api that nothing ran and the call may be routed again.
 */
export class NodeOwnership {
  private directoryReadAt = Number.NEGATIVE_INFINITY;
  private reading: Promise<void> | undefined;

  constructor(
    private readonly hostname: string,
    private readonly membership: ConductorMembership,
    private readonly directory: ConductorDirectory,
    /** A directory read longer ago than this is read again before it decides a call. */
    private readonly directoryMaxAgeMs: number,
    private readonly logger: Logger,
  ) {}

  async assertOwner(node: RoutedNode, call: RoutedCall): Promise<void> {
    if (Date.now() >= call.deadline) {
      throw new ServiceUnavailable('The caller stopped waiting for this call; it was not run.');
    }
    if (this.membership.isLeaving) throw this.refuse(node, 'this conductor is leaving the cluster');
    if (!this.membership.isLive()) {
      // Frozen, or cut off from the database: a heartbeat now says which. After a database
      // outage the database does not count its own downtime, so a conductor that kept trying
      // is still alive; one that was frozen or partitioned away is not.
      const outcome = await this.membership.beatNow();
      if (!outcome?.recorded || !outcome.wasAlive) throw this.refuse(node, 'not a live member');
    }
    if (call.issuedAt < this.membership.rejoinedAt) {
      throw this.refuse(node, 'issued while this conductor counted as dead');
    }
    await this.freshDirectory(this.directoryMaxAgeMs);
    let owner = this.ownerOf(node);
    if (owner !== this.hostname) {
      // The api routed by a newer membership than this conductor's (one joined or left since
      // this conductor last read it): read it again before refusing, so both agree at once.
      await this.freshDirectory(RECHECK_AFTER_MS);
      owner = this.ownerOf(node);
    }
    if (owner !== this.hostname) throw this.refuse(node, `the ring maps it to ${owner ?? 'none'}`);
  }

  private ownerOf(node: RoutedNode): string | undefined {
    try {
      return this.directory.hostForNode(node.uuid, node.driver, node.conductor_group);
    } catch (error) {
      if (!(error instanceof NoValidHost)) throw error;
      return undefined;
    }
  }

  private refuse(node: RoutedNode, why: string): NodeOwnerChanged {
    this.logger.info('refused a call for a node this conductor does not own', {
      node: node.uuid,
      why,
    });
    return new NodeOwnerChanged(this.hostname, node.uuid);
  }

  private async freshDirectory(maxAgeMs: number): Promise<void> {
    if (performance.now() - this.directoryReadAt < maxAgeMs) return;
    this.reading ??= (async () => {
      const startedAt = performance.now();
      try {
        await this.directory.refresh();
        this.directoryReadAt = startedAt;
      } catch (error) {
        this.logger.warn('could not read the live conductors; routing by the last list', {
          error,
        });
      }
    })().finally(() => (this.reading = undefined));
    await this.reading;
  }
}
