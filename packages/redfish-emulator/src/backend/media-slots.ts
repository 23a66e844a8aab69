import type { InsertMediaRequest, MediaState, VirtualMediaSlot } from './types';
import { SystemBackendError } from './types';

export const EMPTY_MEDIA: MediaState = {
  image: null,
  inserted: false,
  writeProtected: true,
  transferProtocolType: null,
  transferMethod: null,
  userName: null,
};

/** What each virtual media slot of a System holds, with the refusals a BMC gives. */
export class MediaSlots {
  readonly #media = new Map<string, MediaState>();

  constructor(slots: readonly VirtualMediaSlot[]) {
    for (const slot of slots) this.#media.set(slot.id, EMPTY_MEDIA);
  }

  get(slotId: string): MediaState {
    const state = this.#media.get(slotId);
    if (!state) throw new SystemBackendError('unsupported', `no virtual media slot ${slotId}`);
    return state;
  }

  /** Refuses a slot that holds an image already (eject first). */
  checkEmpty(slotId: string): void {
    if (this.get(slotId).image !== null) {
      throw new SystemBackendError('conflict', `an image is already attached to ${slotId}`);
    }
  }

  insert(slotId: string, request: InsertMediaRequest): void {
    this.checkEmpty(slotId);
    this.#media.set(slotId, {
      image: request.image,
      inserted: request.inserted,
      writeProtected: request.writeProtected,
      transferProtocolType: request.transferProtocolType ?? null,
      transferMethod: request.transferMethod ?? null,
      userName: request.userName ?? null,
    });
  }

  eject(slotId: string): void {
    this.get(slotId);
    this.#media.set(slotId, EMPTY_MEDIA);
  }
}
