// The kysely `Database` type: one interface per table, assembled below.
// Conventions (docs/decisions/002-data.md): text ids (UUID), ISO-8601 UTC strings
// for instants, 'YYYY-MM-DD' strings for calendar dates in Europe/Stockholm,
// integers 0/1 for booleans.
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from "kysely";

export const ROLES = ["process_leader", "member", "adjunct", "observer"] as const;
export type Role = (typeof ROLES)[number];

export const PERSPECTIVES = [
  "employer",
  "education",
  "municipal_federation",
  "region",
  "labour_market_party",
  "public_agency",
  "other",
] as const;
export type Perspective = (typeof PERSPECTIVES)[number];

export interface UserTable {
  id: string;
  email: string | null; // null once anonymised
  name: string;
  password_hash: string | null;
  is_site_admin: number;
  created_at: string;
  anonymised_at: string | null;
  /** 'sv' | 'en': the language the person last chose; e-mails are written in it. */
  locale: Generated<string>;
  /** 1: the annual wheel's dates go into the person's calendar feed too (migration 0031). */
  calendar_year_events: Generated<number>;
}

/** A single-use link e-mailed to a person (migration 0027): a password reset or a new address to confirm. */
export interface AccountTokenTable {
  id: string;
  user_id: string;
  purpose: "password_reset" | "email_change";
  /** Only the token's hash (server/domain/ids.ts hashToken). */
  token_hash: string;
  new_email: string | null;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

/**
 * A personal access token for the read-only API (migration 0025): it acts as the
 * person, on GET /api/v1/... only. Only its hash is stored; `prefix` is the first
 * characters after `samsyn_pat_`, shown to recognise it, and no secret.
 */
export interface ApiTokenTable {
  id: string;
  user_id: string;
  /** The person's own label, e.g. "Regionens rapportverktyg". */
  name: string;
  token_hash: string;
  prefix: string;
  created_at: string;
  /** null: never expires. */
  expires_at: string | null;
  /** Written at most once a minute per token. */
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface SessionTable {
  /** sha256 of the random token the cookie carries; the token itself is never stored. */
  id: string;
  user_id: string;
  created_at: string;
  expires_at: string;
}

export interface CouncilTable {
  id: string;
  slug: string;
  name: string;
  sub_region: string;
  mandate: string;
  created_at: string;
  created_by: string | null;
  /** How the minutes' paragraphs (§) are numbered: from 1 in each, or on through the calendar year. */
  paragraph_numbering: ColumnType<ParagraphNumbering, ParagraphNumbering | undefined, ParagraphNumbering>;
}

export const PARAGRAPH_NUMBERINGS = ["meeting", "year"] as const;
export type ParagraphNumbering = (typeof PARAGRAPH_NUMBERINGS)[number];

export interface MembershipTable {
  id: string;
  council_id: string;
  user_id: string;
  role: Role;
  organisation: string;
  perspective: Perspective;
  /** Adjuncts only: first and last day of access (inclusive), Stockholm dates. */
  valid_from: string | null;
  valid_to: string | null;
  created_at: string;
}

export interface InvitationTable {
  id: string;
  council_id: string;
  /** sha256 of the one-time token in the link. */
  token_hash: string;
  email: string;
  /** The invited person's name, when the leader gave one (migration 0028); a suggestion. */
  name: string | null;
  role: Role;
  organisation: string;
  perspective: Perspective;
  valid_from: string | null;
  valid_to: string | null;
  created_by: string | null;
  created_at: string;
  expires_at: string;
  accepted_at: string | null;
  accepted_by: string | null;
  revoked_at: string | null;
}

export interface LoginThrottleTable {
  /** "email:<address>" or "ip:<address>". */
  key: string;
  failures: number;
  window_started_at: string;
  locked_until: string | null;
}

export interface AuditLogTable {
  id: string;
  council_id: string | null;
  actor_id: string | null;
  action: string;
  subject: string | null;
  before_json: string | null;
  after_json: string | null;
  created_at: string;
  /** Set once when personal data in the row was erased (GDPR); nothing else may change. */
  redacted_at: Generated<string | null>;
}

export const PLAN_STATUSES = ["active", "revision", "adopted"] as const;
export type PlanStatus = (typeof PLAN_STATUSES)[number];

export interface PlanTable {
  id: string;
  council_id: string;
  year: number;
  status: PlanStatus;
  title: string;
  created_at: string;
  created_by: string | null;
  /** When the relational projection below was last refreshed from the Y.Doc. */
  projected_at: string | null;
  /** Sequence number of the live state the projection was written from (migration 0018). */
  projected_seq: ColumnType<number | null, number | null | undefined, number | null>;
  /** The plan this one was opened as a revision of. */
  copied_from: string | null;
  /** Moved by a trigger on every write to this plan's follow-ups (migration 0013): the dashboard cache's version. */
  report_seq: Generated<number>;
  /** The plan document's layout (docs/plan-document.md): 2 since migration 0032; 1 is upgraded once at start. */
  schema_version: Generated<number>;
}

export interface PlanRevisionTable {
  plan_id: string;
  adopted_at: string;
  adopted_by: string | null;
  decision: string | null;
  meeting_id: string | null;
  state: Uint8Array;
  projection_json: string;
}

export interface YjsUpdateTable {
  id: Generated<number>;
  doc_name: string;
  update: Uint8Array;
  user_id: string | null;
  created_at: string;
  /** The document's own sequence number (PostgreSQL store); null on SQLite, where `id` is the order. */
  seq: ColumnType<number | null, number | null | undefined, number | null>;
}

/** Per document: its last sequence number and, once frozen, when (PostgreSQL store; empty on SQLite). */
export interface YjsDocTable {
  doc_name: string;
  seq: Generated<number>;
  frozen_at: string | null;
}

/** One row (id 1): moved by a trigger on every write that can change rights to a live document (migration 0018). */
export interface RightsEpochTable {
  id: number;
  epoch: number;
}

export interface YjsSnapshotTable {
  doc_name: string;
  state: Uint8Array;
  last_update_id: number;
  updated_at: string;
}

export interface PlanAreaTable {
  plan_id: string;
  id: string;
  position: number;
  title: string;
  description: string;
}

export interface PlanGoalTable {
  plan_id: string;
  id: string;
  area_id: string;
  position: number;
  title: string;
}

export interface PlanActionTable {
  plan_id: string;
  id: string;
  area_id: string;
  goal_id: string;
  position: number;
  title: string;
  description: string;
  responsible_org: string;
  responsible_user_id: string | null;
  start_date: string | null;
  due_date: string | null;
  status: string;
  progress: number;
  /** The indicators' names, one per line (search reads them; the indicators themselves: plan_indicators). */
  indicators: string;
}

/** The projection of an action's indicator (migration 0032): rewritten from the live document. */
export interface PlanIndicatorTable {
  plan_id: string;
  id: string;
  action_id: string;
  position: number;
  name: string;
  unit: string;
  baseline: number | null;
  baseline_date: string | null;
  target: number | null;
  target_date: string | null;
  direction: "higher" | "lower";
}

/** A measured value of an indicator (migration 0032, server/domain/indicators.ts): history, by indicator id across plan years. */
export interface IndicatorValueTable {
  id: string;
  council_id: string;
  /** The plan year it was reported in. */
  plan_id: string;
  action_id: string;
  indicator_id: string;
  /** 'YYYY-MM-DD' */
  measured_on: string;
  value: number;
  comment: string;
  reported_by: string | null;
  reported_at: string;
  /** The follow-up report it came with, if any. */
  followup_id: string | null;
}

export const MEETING_STATUSES = ["draft", "convened", "cancelled"] as const;
export type MeetingStatus = (typeof MEETING_STATUSES)[number];
export const RSVP_RESPONSES = ["attending", "not_attending", "maybe"] as const;
export type RsvpResponse = (typeof RSVP_RESPONSES)[number];

export interface MeetingTable {
  id: string;
  council_id: string;
  title: string;
  location: string;
  video_url: string | null;
  description: string;
  /**
   * UTC instants; shown and entered in Europe/Stockholm. Null (both) while a time
   * poll is to decide the time: only a draft or a cancelled meeting can lack one.
   */
  starts_at: string | null;
  ends_at: string | null;
  status: MeetingStatus;
  cancel_reason: string | null;
  sequence: number;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  convened_at: string | null;
  /** The working group whose meeting this is; null for the council's own meetings. */
  group_id: string | null;
  /** The series this meeting is an occurrence of (decision 042); null for a single meeting. */
  series_id: string | null;
}

/**
 * A run of meetings made from one rule (decision 042). `rule` is an RFC 5545 RRULE
 * line; `first_date` (YYYY-MM-DD), `start_time` and `end_time` (HH:mm) are Stockholm
 * wall-clock values: every occurrence is at the same local time, across DST.
 */
export interface MeetingSeriesTable {
  id: string;
  council_id: string;
  group_id: string | null;
  title: string;
  rule: string;
  first_date: string;
  start_time: string;
  end_time: string;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface MeetingRsvpTable {
  meeting_id: string;
  user_id: string;
  response: RsvpResponse;
  note: string;
  updated_at: string;
}

export interface CalendarTokenTable {
  token_hash: string;
  user_id: string;
  created_at: string;
  revoked_at: string | null;
}

export const POLL_ANSWERS = ["yes", "if_need_be", "no"] as const;
export type PollAnswer = (typeof POLL_ANSWERS)[number];

export interface PollTable {
  id: string;
  meeting_id: string;
  deadline: string;
  status: "open" | "closed";
  chosen_slot_id: string | null;
  created_at: string;
  closed_at: string | null;
}

export interface PollSlotTable {
  id: string;
  poll_id: string;
  position: number;
  starts_at: string;
  ends_at: string;
}

export interface PollAnswerTable {
  slot_id: string;
  user_id: string;
  answer: PollAnswer;
  updated_at: string;
}

export const AGENDA_KINDS = ["information", "discussion", "decision"] as const;
export type AgendaKind = (typeof AGENDA_KINDS)[number];

/** A council's agenda template: a name and its items as JSON (AgendaTemplateItem[]). */
export interface AgendaTemplateTable {
  id: string;
  council_id: string;
  name: string;
  items_json: string;
  created_at: string;
  updated_at: string;
}

export interface AgendaTemplateItem {
  title: string;
  kind: AgendaKind;
  minutes: number;
}

export interface AgendaItemTable {
  id: string;
  meeting_id: string;
  position: number;
  title: string;
  kind: AgendaKind;
  presenter: string;
  minutes: number;
  /** Optional link into the council's plan (ids from the plan document). */
  plan_area_id: string | null;
  plan_action_id: string | null;
  status: "accepted" | "proposed" | "declined";
  proposed_by: string | null;
  /** The decision (beslut) recorded for this item at the meeting. */
  decision: string | null;
  created_at: string;
}

/** A file attached to a meeting or one of its agenda items (handlingar, migration 0020). */
export interface AttachmentTable {
  id: string;
  meeting_id: string;
  /** The agenda item it belongs to; null: the meeting as a whole. */
  agenda_item_id: string | null;
  /** The file name people see (and download as). */
  name: string;
  /** Bytes. */
  size: number;
  /** The MIME type sniffed from the content (server/domain/attachments.ts). */
  type: string;
  /** Where the FileStore keeps the bytes (server/files). */
  storage_key: string;
  /** Hex SHA-256 of the content. */
  sha256: string;
  /** Null once the uploader has been anonymised. */
  uploaded_by: string | null;
  created_at: string;
  /** The last rename or replacement. */
  updated_at: string;
}

export type MinutesStatus = "draft" | "closed" | "approved";

export interface MinutesTable {
  meeting_id: string;
  status: MinutesStatus;
  closed_at: string | null;
  approved_at: string | null;
  frozen_text: string | null;
  frozen_state: Uint8Array | null;
  /** The number of the first paragraph (§), fixed when the minutes are approved. */
  first_paragraph: number | null;
}

export interface MinutesApproverTable {
  meeting_id: string;
  user_id: string;
  status: "pending" | "approved" | "returned";
  comment: string | null;
  decided_at: string | null;
}

/** How a member is recorded at a meeting: present, absent with notice (förhinder), absent. */
export const ATTENDANCE_STATUSES = ["present", "excused", "absent"] as const;
export type AttendanceStatus = (typeof ATTENDANCE_STATUSES)[number];

export interface AttendanceTable {
  meeting_id: string;
  user_id: string;
  status: AttendanceStatus;
}

/** A substitute (ersättare) serving for a member at one meeting: one of the council's people, or a name. */
export interface MeetingSubstituteTable {
  id: string;
  meeting_id: string;
  /** The member they serve for. */
  for_user_id: string;
  substitute_user_id: string | null;
  /** Free text when the substitute is not one of the council's people (then substitute_user_id is null). */
  name: string | null;
  /** Free-text substitute's organisation; '' = the member's. */
  organisation: string;
  created_at: string;
}

/** A guest of one meeting. */
export interface MeetingGuestTable {
  id: string;
  meeting_id: string;
  name: string;
  organisation: string;
  /** Why they came (role, agenda item); may be ''. */
  role: string;
  created_at: string;
}

export interface ActionItemTable {
  id: string;
  meeting_id: string;
  what: string;
  owner_user_id: string | null;
  due_date: string | null;
  /** Set when the item has been turned into an action of the plan. */
  plan_action_id: string | null;
  created_at: string;
}

export interface FollowupTable {
  id: string;
  plan_id: string;
  action_id: string;
  reported_at: string;
  reported_by: string | null;
  source: "report" | "editor";
  old_status: string | null;
  new_status: string;
  old_progress: number | null;
  new_progress: number;
  comment: string;
}

export const NOTIFICATION_KINDS = [
  "meeting_convened",
  "meeting_moved",
  "meeting_cancelled",
  "poll_opened",
  "poll_deadline",
  "agenda_proposed",
  "minutes_approval",
  "action_assigned",
  "action_overdue",
  "followup_due",
  "plan_adopted",
  "decision_opened",
  "decision_deadline",
  "statement_adopted",
  "rsvp_reminder",
  "approval_reminder",
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export const DELIVERIES = ["inapp", "immediate", "digest"] as const;
export type Delivery = (typeof DELIVERIES)[number];
export type EmailState = "none" | "pending" | "sending" | "digest" | "sent" | "failed";

export interface NotificationTable {
  id: string;
  user_id: string;
  council_id: string | null;
  kind: NotificationKind;
  params_json: string;
  link: string;
  created_at: string;
  read_at: string | null;
  email_state: EmailState;
  emailed_at: string | null;
  email_attempts: Generated<number>;
  dedupe_key: string | null;
  /**
   * While email_state is 'sending': the node (NODE_ID) that claimed it, and when (its
   * lease, server/mail/delivery.ts). Null by default (Generated: inserts may omit them).
   */
  claimed_by: Generated<string | null>;
  claimed_at: Generated<string | null>;
}

export interface NotificationPrefTable {
  user_id: string;
  kind: NotificationKind;
  delivery: Delivery;
}

export type ActivityAudience = "council" | "contributors" | "leaders";

export interface ActivityTable {
  id: string;
  council_id: string;
  actor_id: string | null;
  kind: string;
  params_json: string;
  link: string | null;
  audience: ActivityAudience;
  created_at: string;
}

export const GROUP_ROLES = ["convener", "member"] as const;
export type GroupRole = (typeof GROUP_ROLES)[number];

export interface WorkingGroupTable {
  id: string;
  council_id: string;
  name: string;
  description: string;
  created_at: string;
  created_by: string | null;
}

export interface WorkingGroupAreaTable {
  group_id: string;
  /** A priority area's id in the plan document (stable across carried-over years). */
  area_id: string;
}

export interface WorkingGroupMemberTable {
  group_id: string;
  user_id: string;
  role: GroupRole;
}

export interface JobStateTable {
  key: string;
  value: string;
}

export const STATEMENT_KINDS = ["statement", "proposal"] as const;
export type StatementKind = (typeof STATEMENT_KINDS)[number];
export type StatementStatus = "draft" | "deciding" | "adopted" | "withdrawn";
export const VOTES = ["agree", "abstain", "disagree", "block"] as const;
export type Vote = (typeof VOTES)[number];
export type PollOutcome = "adopted" | "rejected" | "blocked" | "no_quorum";

export interface StatementTable {
  id: string;
  council_id: string;
  kind: StatementKind;
  title: string;
  status: StatementStatus;
  created_by: string | null;
  created_at: string;
  adopted_at: string | null;
  adopted_by: string | null;
  decided_via: "poll" | "meeting" | null;
  meeting_id: string | null;
  decision_text: string | null;
  frozen_text: string | null;
  frozen_state: Uint8Array | null;
  converted_plan_id: string | null;
  converted_at: string | null;
}

export interface StatementCommentTable {
  id: string;
  statement_id: string;
  user_id: string | null;
  body: string;
  created_at: string;
}

export interface ProposalActionTable {
  id: string;
  statement_id: string;
  position: number;
  title: string;
  responsible_org: string;
  due_date: string | null;
  plan_action_id: string | null;
}

export interface DecisionPollTable {
  id: string;
  statement_id: string;
  created_by: string | null;
  created_at: string;
  closes_at: string;
  quorum: number | null;
  status: "open" | "closed";
  outcome: PollOutcome | null;
  closed_at: string | null;
}

export interface DecisionVoteTable {
  poll_id: string;
  user_id: string;
  vote: Vote;
  reason: string;
  updated_at: string;
}

export interface Database {
  users: UserTable;
  sessions: SessionTable;
  councils: CouncilTable;
  memberships: MembershipTable;
  invitations: InvitationTable;
  login_throttle: LoginThrottleTable;
  audit_log: AuditLogTable;
  plans: PlanTable;
  yjs_updates: YjsUpdateTable;
  yjs_snapshots: YjsSnapshotTable;
  yjs_docs: YjsDocTable;
  rights_epoch: RightsEpochTable;
  plan_areas: PlanAreaTable;
  plan_goals: PlanGoalTable;
  plan_actions: PlanActionTable;
  plan_indicators: PlanIndicatorTable;
  indicator_values: IndicatorValueTable;
  meetings: MeetingTable;
  meeting_series: MeetingSeriesTable;
  meeting_rsvps: MeetingRsvpTable;
  agenda_templates: AgendaTemplateTable;
  attachments: AttachmentTable;
  calendar_tokens: CalendarTokenTable;
  polls: PollTable;
  poll_slots: PollSlotTable;
  poll_answers: PollAnswerTable;
  agenda_items: AgendaItemTable;
  minutes: MinutesTable;
  minutes_approvers: MinutesApproverTable;
  attendance: AttendanceTable;
  meeting_substitutes: MeetingSubstituteTable;
  meeting_guests: MeetingGuestTable;
  action_items: ActionItemTable;
  followups: FollowupTable;
  plan_revisions: PlanRevisionTable;
  notifications: NotificationTable;
  notification_prefs: NotificationPrefTable;
  activity: ActivityTable;
  job_state: JobStateTable;
  statements: StatementTable;
  statement_comments: StatementCommentTable;
  proposal_actions: ProposalActionTable;
  decision_polls: DecisionPollTable;
  decision_votes: DecisionVoteTable;
  working_groups: WorkingGroupTable;
  working_group_areas: WorkingGroupAreaTable;
  working_group_members: WorkingGroupMemberTable;
  account_tokens: AccountTokenTable;
  api_tokens: ApiTokenTable;
  search_docs: SearchDocTable;
  user_identities: UserIdentityTable;
  year_events: YearEventTable;
}

export type User = Selectable<UserTable>;
export type NewUser = Insertable<UserTable>;
export type Council = Selectable<CouncilTable>;
export type Membership = Selectable<MembershipTable>;
export type MembershipUpdate = Updateable<MembershipTable>;
export type Invitation = Selectable<InvitationTable>;

/**
 * One searchable thing of a council (migration 0029, server/domain/search.ts). On
 * SQLite the text is in the FTS5 table `search_fts` (rowid = id); on PostgreSQL in
 * `title`/`body` with a generated `tsv`. Neither is typed here: search.ts reads them
 * with raw SQL per engine.
 */
export interface SearchDocTable {
  kind: string;
  ref_id: string;
  council_id: string;
  hash: string;
  path: string;
  meeting_id: string | null;
  id: Generated<number>;
}
export type Plan = Selectable<PlanTable>;
export type Meeting = Selectable<MeetingTable>;
export type MeetingSeries = Selectable<MeetingSeriesTable>;
export type Attachment = Selectable<AttachmentTable>;
export type Statement = Selectable<StatementTable>;
export type WorkingGroup = Selectable<WorkingGroupTable>;

/** An OpenID provider's subject mapped to a person (migration 0026, server/domain/oidc-accounts.ts). */
export interface UserIdentityTable {
  id: string;
  user_id: string;
  issuer: string;
  subject: string;
  created_at: string;
  last_login_at: string;
}

/** A council's own yearly event on its annual wheel (migration 0030, server/domain/year-wheel.ts). */
export interface YearEventTable {
  id: string;
  council_id: string;
  title: string;
  month: number;
  day: number;
  created_at: string;
  updated_at: string;
}
