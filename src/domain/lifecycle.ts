import type { DecisionStatus } from './model.js';

/**
 * A decision record's life cycle, in one table: what the state machine
 * allows (src/domain/machine/record.ts enforces it) and what a record's card
 * offers (src/domain/presentation.ts) both read it, so they cannot disagree.
 */

/** Statuses a record may move to from each status (`superseded` only by accepting a successor). */
export const NEXT: Readonly<Record<DecisionStatus, readonly DecisionStatus[]>> = {
  proposed: ['accepted', 'rejected'],
  accepted: ['deprecated', 'superseded'],
  rejected: [],
  deprecated: [],
  superseded: [],
};

/** Statuses a record can be reopened from (back to `proposed`); superseded records stay closed: revisit them instead. */
export const REOPENABLE: readonly DecisionStatus[] = ['accepted', 'rejected', 'deprecated'];

/** A proposal can be rejected. */
export const canReject = (s: DecisionStatus): boolean => NEXT[s].includes('rejected');

/** A decided record can go back to `proposed`; a superseded one stays closed (revisit it instead). */
export const canReopen = (s: DecisionStatus): boolean => REOPENABLE.includes(s);

/** Only an accepted decision can be deprecated. */
export const canDeprecate = (s: DecisionStatus): boolean => NEXT[s].includes('deprecated');
