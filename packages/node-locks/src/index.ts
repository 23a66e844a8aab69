export { NodeLocker, type NodeLockerOptions, type SessionLostEvent } from './locker';
export type { ExclusiveLock, SharedLock, NodeRef } from './lock';
export { NodeLockLost, NodeLockerClosed, type NodeLockLossKind } from './errors';
export { reservationsOf, reservationOf, type Queryable } from '@galvanic/db/node-locks';
export {
  LOCK_NAMESPACE,
  DEFAULT_APPLICATION_NAME_PREFIX,
  RESERVATIONS_SQL,
  reservationsSql,
  reservationColumnSql,
  stillHeldSql,
  LOCK_EPOCHS_TABLE,
  CREATE_LOCK_EPOCHS_TABLE_SQL,
} from '@galvanic/db/node-locks';
