import { Conductors1763700000000 } from './1763700000000-conductors';

/** Every migration, oldest first. Add new ones at the end; never edit one that has shipped. */
export const allMigrations = [Conductors1763700000000];
