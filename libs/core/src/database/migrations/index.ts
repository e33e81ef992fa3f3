import { Foundation1763798400000 } from './1763798400000-foundation';

/**
 * The schema's history, oldest first. One ordered list for the whole hub (rather than one per
 * library) because tables reference each other across libraries and order matters.
 * Add a new migration at the end; never edit one that has landed.
 */
export const MIGRATIONS = [Foundation1763798400000];
