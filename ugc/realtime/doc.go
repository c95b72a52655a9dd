// Package realtime runs multi-host stage sessions on Amazon IVS Real-Time:
// the host's session and tokens, publisher seats, join requests, signed
// invites, kicks, spectator tokens, a per-user notification stream and a
// janitor that ends abandoned sessions and deletes ownerless stages.
//
//	svc, err := realtime.New(realtime.Options{
//		Store:      st,
//		Stages:     ivsrealtime.NewFromConfig(cfg),
//		InviteKey:  key, // ≥ 32 bytes, the same on every replica
//		ProjectTag: "ugc-prod",
//	})
//	metricsSvc.SetStageHandler(svc) // IVS Stage Update events
//	go svc.Run(ctx, time.Minute)    // the janitor
//
// Each user's stage is provisioned once by the channels package
// (User.Channel.StageArn); a session is a period in which the host runs
// it. Liveness is the live index entry (kind ugc.LiveRealTime, Ref = the
// session ID), set when the session starts and cleared when it ends.
//
// # Tokens and roles
//
// Tokens are minted by CreateParticipantToken. The IVS user ID is
// "<role>:<user ID>" (roles host, screenshare, guest, spectator), so stage
// events and participant lists map back to users; attributes carry
// username, color, avatar, avatarUrl and role within IVS's 1 KB limit.
// The host gets PUBLISH + SUBSCRIBE tokens for camera and screen share;
// guests get PUBLISH + SUBSCRIBE tokens valid for Options.JoinWindow;
// spectators (signed in or not) get SUBSCRIBE-only tokens.
//
// # Seats
//
// A stage has 12 publishers at most. One is kept for the host; the other
// 11 seats are shared by guests and the host's screen share. A guest's
// seat is reserved with a conditional store write (store.ReserveSeat with
// max 11) before its token is minted, so concurrent callers on any number
// of replicas never exceed 11. It is held until the participant leaves
// (Participant Left) or, when it never joins, until the join window
// passes. The screen share takes a seat when it joins and is disconnected
// when none is free. A participant that joins without a seat (its token
// outlived its seat) is disconnected.
//
// # Join requests and invites
//
// A request is a stored state machine: pending → accepted | rejected |
// revoked | expired (pending requests expire after Options.RequestTTL).
// Only the requester revokes; only the host accepts or rejects. An
// accepted request mints exactly one publish token: the store refuses a
// second use, whatever the concurrency. Invite codes are
// "i1.<payload>.<HMAC-SHA256>" over the invite ID, the channel and the
// expiry, signed with Options.InviteKey; the invite is stored too, so it
// can be revoked. Any signed-in user presenting a valid code may mint
// publish tokens while it lasts.
//
// # Kicks and bans
//
// Kick disconnects a participant; the user then cannot request or mint a
// publish token for Options.KickCooloff. Users banned from the channel's
// chat (an active store ban) cannot request, join or spectate; a banned
// spectator who joins anyway is disconnected by the event handler.
//
// # Notifications
//
// The host is told of new and revoked requests, the requester of
// acceptance and rejection, a kicked user of the kick. Notifications are
// appended to the store (per-user sequence numbers) and read by Stream,
// which polls the store every Options.PollInterval and is woken at once
// by appends on the same replica, so a user's stream works on any replica.
//
// # Janitor
//
// RunJanitor makes one idempotent pass; Run repeats it in the caller's
// goroutine. A session whose host left (or never joined) and has not
// returned within Options.HostGrace, by IVS events and a final IVS check,
// is ended. Stages tagged with the project whose owner is gone (or uses
// another stage) are deleted after Options.OrphanGrace; an ended session
// whose disconnects failed is cleaned up; failures are retried on the next
// pass. Every replica may run it.
//
// # Errors
//
// Errors are *ugc.Error values. Codes: stage_offline, stage_full,
// seat_held, request_pending, request_state (409); not_invited,
// invalid_invite, kicked, banned (403); is_host, no_stage (409). AWS
// failures are mapped by internal/awserr.
//
// # Concurrency
//
// A Service is safe for concurrent use and keeps no state but the wake-up
// channels of local streams; it starts no goroutines. The store refuses
// updates to an ended session, so an event recording the host's presence
// racing with the end of the same session cannot bring it back; two
// presence events racing each other keep the later write.
//
// # Testing
//
// Tests run against ivslocal with an unmodified ivsrealtime client,
// driving participants through its control API, and against memstore and
// sqlstore; timers are tested with testing/synctest.
package realtime
