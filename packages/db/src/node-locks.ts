/**
 * The SQL of node locks (advisory locks, epochs, fences, reservations), for `@galvanic/node-locks`
 * and for the stores here. A subpath of its own, so the locker loads no ORM.
 */
export * from './node-lock-sql';
export { reservationsOf, reservationOf, type Queryable } from './reservations';
