/** A plan: several groups of one request, in execution order. Pure types. */
import type { AuditConfirmation } from './request';

/** One group of a plan (a tree or a wave), in execution order. */
export interface PlanStep {
  groupId: string;
  groupName: string;
  /** Longest path from the plan's root (tree plans); 0 for the root and for wave members. */
  depth: number;
  state: 'pending' | 'done' | 'failed' | 'untouched';
  /** Warnings shown on the card for this group (mail-enabled, shared by several parents, …). */
  warnings: string[];
  switchedAt?: string;
  audit?: AuditConfirmation;
  error?: string;
}

/**
 * Several groups under one approval. Tree plans run bottom-up (leaves first) for a move and
 * top-down for a rollback; a failure stops the plan and leaves the rest untouched.
 */
export interface Plan {
  kind: 'tree' | 'wave';
  /** What the requester asked for, as the card titles it ("the tree under X", "groups starting with FIN-"). */
  label: string;
  steps: PlanStep[];
  /** Groups seen but left out, with why (already cloud-managed, not synced from AD, cycle). */
  skipped: Array<{ groupId: string; groupName: string; reason: string }>;
  /** Groups met on a cycle (AD allows them); each is still switched once. */
  cycleGroups: string[];
  /** Groups with several parents in the tree; each is switched once, before all its parents. */
  sharedGroups: string[];
  /** The move plan this rollback plan undoes. */
  rollbackOf?: string;
  /**
   * Move plans: how many steps have extension attributes set (lost), AD-synced parents outside
   * the plan, or facts not read.
   */
  prerequisites?: { extensionAttributes: number; adParents: number; unread: number };
  /** Rollback plans: how many steps have cloud-only members, cloud edits since the switch, or facts not read. */
  rollbackChecks?: { cloudMembers: number; cloudEdits: number; unread: number };
}
