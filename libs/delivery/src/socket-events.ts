import type { AlertEvent, AlertIndicatorsEvent } from './alert-feed';
import type { ConstituencyHitEvent } from './constituency-router';

/**
 * What an event sent to a socket attached to subscriptions also says: which of them matched (at least one, in
 * the order the socket named them). A socket with no subscription (the whole feed) gets no such field.
 */
export interface Matched {
  readonly subscriptions?: readonly string[];
}

/** Sent when a socket fell too far behind: it has everything up to `seq`; the rest follows by replay, then live. */
export interface LaggingEvent {
  readonly seq: number;
  /** Packets that were waiting for the socket's transport when it was switched. */
  readonly queued: number;
}

/** Every event the server sends on /alerts: the one map the gateway's socket.io server is typed with. */
export interface ServerToClientEvents {
  alert: (event: AlertEvent & Matched) => void;
  'alert-updated': (event: { seq: number; alert: Record<string, unknown> } & Matched) => void;
  'alert-revoked': (event: { seq: number; alertId: string; reason: string; revokedAt: string } & Matched) => void;
  sighting: (event: { seq: number; alertId: string; type: string } & Record<string, unknown> & Matched) => void;
  'alert-indicators': (event: AlertIndicatorsEvent) => void;
  /** A coordinated alert as this recipient may see it, the first time it may (see README, "Coordinated alerts"). */
  'coordinated-alert': (event: { seq: number; coordinatedAlert: Record<string, unknown> } & Matched) => void;
  /** A change to a coordinated alert this recipient already has: reports joined, or its status changed. */
  'coordinated-alert-updated': (event: { seq: number; coordinatedAlert: Record<string, unknown> } & Matched) => void;
  /** A coordinated alert this recipient had no longer stands for it: reports it could see were revoked. */
  'coordinated-alert-withdrawn': (event: { seq: number; coordinatedAlertId: string } & Matched) => void;
  /** An alert this org may see touches its constituency: which indicators and countries (see README, "Constituency"). */
  'constituency-hit': (event: ConstituencyHitEvent) => void;
  lagging: (event: LaggingEvent) => void;
}

/** `ack`'s body: the highest seq processed, for one attached subscription or (without it) for all of them. */
export interface AckRequest {
  readonly subscription?: string;
  readonly seq: number;
}

export type AckAnswer =
  | { readonly ok: true; readonly subscriptions: readonly string[]; readonly seq: number }
  | { readonly ok: false; readonly error: string };

/** Every event a client sends on /alerts. */
export interface ClientToServerEvents {
  ack: (request: AckRequest, answer?: (a: AckAnswer) => void) => void;
}

export type ServerEventName = keyof ServerToClientEvents;
