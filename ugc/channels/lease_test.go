package channels

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivs"
	"github.com/google/go-cmp/cmp"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/ivslocal"
)

// hookStore runs hook once, just before the n-th UpdateJob (1-based).
type hookStore struct {
	storeOf
	mu    sync.Mutex
	calls int
	n     int
	hook  func()
}

func (h *hookStore) UpdateJob(ctx context.Context, j *ugc.Job, prev time.Time) error {
	h.mu.Lock()
	h.calls++
	fire := h.calls == h.n
	h.mu.Unlock()
	if fire {
		h.hook()
	}
	return h.storeOf.UpdateJob(ctx, j, prev)
}

// inProgress reports whether err is the refusal of a registration another
// run is provisioning.
func inProgress(err error) bool {
	return errors.Is(err, ugc.ErrAlreadyExists) && ugc.FieldOf(err) == "username" &&
		ugc.CodeOf(err) == "registration_in_progress"
}

// TestRegisterLeaseLostUndoesNothing stalls a registration past its lease
// after its n-th job write; another replica takes the job over meanwhile.
// The stalled run must then stop without deleting anything: the other run
// adopted what it made (deleting it was the cause of the flaky concurrent
// registrations, whose winner's stream key was gone).
func TestRegisterLeaseLostUndoesNothing(t *testing.T) {
	tests := []struct {
		name        string
		n           int    // the stalled run's job write that finds the job taken over
		takerFault  string // an AWS fault the taking-over run meets, "" for none
		wantStalled string // "user" (the taker's user) or "in_progress"
	}{
		{"channel recorded", 1, "", "user"},
		{"room recorded", 2, "", "user"},
		{"stage recorded", 3, "", "user"},
		{"taker fails", 1, "CreateStage", "in_progress"},
		{"taker fails and cannot clean up", 2, "CreateStage+DeleteRoom", "in_progress"},
	}
	for _, driver := range drivers {
		for _, tt := range tests {
			t.Run(driver+"/"+tt.name, func(t *testing.T) {
				e := newEnv(t, driver)
				ctx := context.Background()
				in := RegisterInput{Username: "Hana", Email: "hana@example.com"}
				taker := e.newService(t) // another replica, on the same store
				var takerUser *ugc.User
				var takerErr error
				e.svc.store = &hookStore{storeOf: e.st, n: tt.n, hook: func() {
					e.clock.Advance(e.svc.opts.JobLease) // the stalled run's lease expires
					switch tt.takerFault {
					case "CreateStage":
						e.fault("CreateStage")
					case "CreateStage+DeleteRoom":
						e.fault("CreateStage")
						e.fault("DeleteRoom")
					}
					takerUser, takerErr = taker.Register(ctx, in)
				}}
				got, err := e.svc.Register(ctx, in)
				e.svc.store = e.st

				var u *ugc.User
				switch tt.wantStalled {
				case "user":
					must(t, takerErr, "the taking-over run")
					must(t, err, "the stalled run, after the taker stored the user")
					if diff := cmp.Diff(takerUser, got); diff != "" {
						t.Errorf("the stalled run's user differs from the taker's (-want +got):\n%s", diff)
					}
					u = takerUser
				case "in_progress":
					if !errors.Is(takerErr, ugc.ErrUnavailable) {
						t.Fatalf("taker Register = %v, want ErrUnavailable from the %s fault", takerErr, tt.takerFault)
					}
					if !inProgress(err) {
						t.Fatalf("stalled Register = %v, want registration_in_progress", err)
					}
					// The taker released the job: a retry resumes it at once.
					u, err = e.svc.Register(ctx, in)
					must(t, err, "retry")
				}
				// Nothing was deleted that the user needs, nothing is left
				// over, without any help from ReconcileOrphans.
				if diff := cmp.Diff(userInventory(u), e.inventory(t)); diff != "" {
					t.Errorf("resources mismatch (-want +got):\n%s", diff)
				}
				k, err := e.ivs.GetStreamKey(ctx, &ivs.GetStreamKeyInput{Arn: aws.String(u.Channel.StreamKeyArn)})
				must(t, err, "the stored stream key must exist")
				if aws.ToString(k.StreamKey.Value) != u.Channel.StreamKey.Reveal() {
					t.Errorf("stored stream key is not the channel's")
				}
				if _, err := e.st.GetJob(ctx, JobProvision, "hana"); !errors.Is(err, ugc.ErrNotFound) {
					t.Errorf("job left behind: %v", err)
				}
			})
		}
	}
}

// TestRegisterLiveLease refuses a registration while another run holds the
// job's lease, and takes the job over once the lease has expired.
func TestRegisterLiveLease(t *testing.T) {
	e := newEnv(t, "memstore", func(o *Options) { o.JobLease = 10 * time.Minute })
	ctx := context.Background()
	in := RegisterInput{Username: "ivy_1", Email: "ivy@example.com"}
	// A run that claimed the job, made the channel, then hung.
	fresh := func() (*ugc.Job, error) {
		return &ugc.Job{Kind: JobProvision, ID: "ivy_1", Step: "start", Data: map[string]string{
			dataUserID: "ivy-id", dataUsername: in.Username, dataEmail: in.Email}, CreatedAt: e.clock.Now()}, nil
	}
	job, _, err := e.svc.claim(ctx, JobProvision, "ivy_1", fresh, nil)
	must(t, err)
	p := &provisioning{s: e.svc, job: job}
	must(t, p.ensureChannel(ctx))
	stalled, err := e.st.GetJob(ctx, JobProvision, "ivy_1")
	must(t, err)

	for _, d := range []time.Duration{0, 9 * time.Minute} {
		e.clock.Advance(d)
		if _, err := e.svc.Register(ctx, in); !inProgress(err) {
			t.Errorf("Register %v into a 10-minute lease = %v, want registration_in_progress", d, err)
		}
	}
	// The refusals wrote nothing.
	got, err := e.st.GetJob(ctx, JobProvision, "ivy_1")
	must(t, err)
	if diff := cmp.Diff(stalled, got); diff != "" {
		t.Errorf("job after refusals (-want +got):\n%s", diff)
	}
	e.clock.Advance(time.Minute)
	u, err := e.svc.Register(ctx, in)
	must(t, err, "Register after the lease expired")
	if u.ID != stalled.Data[dataUserID] {
		t.Errorf("took over with user ID %q, want the job's %q", u.ID, stalled.Data[dataUserID])
	}
	if diff := cmp.Diff(userInventory(u), e.inventory(t)); diff != "" {
		t.Errorf("resources mismatch (the hung run's channel must be adopted) (-want +got):\n%s", diff)
	}
}

// TestRegisterRaceWithFaults races registrations of one username while AWS
// calls fail (and some of the cleanups too), then retries as a client
// would: exactly one user results, and after ReconcileOrphans nothing else
// is left.
func TestRegisterRaceWithFaults(t *testing.T) {
	tests := []struct {
		name   string
		faults []ivslocal.Fault
	}{
		{"create fails", []ivslocal.Fault{{Operation: "CreateRoom", Count: 2}}},
		{"create and cleanup fail", []ivslocal.Fault{{Operation: "CreateStage"}, {Operation: "DeleteRoom"}, {Operation: "DeleteChannel"}}},
		{"resume fails", []ivslocal.Fault{{Operation: "CreateStage"}, {Operation: "DeleteChannel"}, {Operation: "ListChannels"}, {Operation: "GetStreamKey"}}},
		{"throttled", []ivslocal.Fault{{Operation: "CreateChannel", Error: "ThrottlingException", Count: 3}}},
	}
	for _, driver := range drivers {
		for _, tt := range tests {
			t.Run(driver+"/"+tt.name, func(t *testing.T) {
				e := newEnv(t, driver)
				ctx := context.Background()
				for _, f := range tt.faults {
					if f.Error == "" {
						f.Error = "InternalServerException"
					}
					e.srv.InjectFault(f)
				}
				in := RegisterInput{Username: "race", Email: "race@example.com"}
				const n = 4
				users := make([]*ugc.User, n)
				errs := make([]error, n)
				start := make(chan struct{})
				var wg sync.WaitGroup
				for i := range n {
					svc := e.newService(t) // one replica each
					wg.Go(func() {
						<-start
						users[i], errs[i] = svc.Register(ctx, in)
					})
				}
				close(start)
				wg.Wait()
				var winner *ugc.User
				for i, err := range errs {
					switch {
					case err == nil:
						if winner != nil && winner.ID != users[i].ID {
							t.Errorf("two users registered: %s and %s", winner.ID, users[i].ID)
						}
						winner = users[i]
					case inProgress(err), ugc.CodeOf(err) == "username_taken", errors.Is(err, ugc.ErrUnavailable), errors.Is(err, ugc.ErrThrottled):
					default:
						t.Errorf("Register: unexpected error %v", err)
					}
				}
				// The client retries until the username is registered; no
				// run holds the job now, so each retry resumes or finds the user.
				for attempt := 0; winner == nil; attempt++ {
					if attempt == 5 {
						t.Fatalf("no registration succeeded after retries; last errors %v", errs)
					}
					u, err := e.svc.Register(ctx, in)
					if err == nil {
						winner = u
					} else if inProgress(err) {
						t.Fatalf("retry after every run ended = %v: a lease was left held", err)
					}
				}
				stored, err := e.st.GetUserByUsername(ctx, "race")
				must(t, err)
				if stored.ID != winner.ID {
					t.Errorf("stored user %s, want the winner %s", stored.ID, winner.ID)
				}
				e.clock.Advance(time.Hour)
				if _, err := e.svc.ReconcileOrphans(ctx, 0); err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(userInventory(winner), e.inventory(t)); diff != "" {
					t.Errorf("resources mismatch (-want +got):\n%s", diff)
				}
				k, err := e.ivs.GetStreamKey(ctx, &ivs.GetStreamKeyInput{Arn: aws.String(winner.Channel.StreamKeyArn)})
				must(t, err, "the winner's stream key must exist")
				if aws.ToString(k.StreamKey.Value) != winner.Channel.StreamKey.Reveal() {
					t.Errorf("stored stream key is not the channel's")
				}
				if _, err := e.st.GetJob(ctx, JobProvision, "race"); !errors.Is(err, ugc.ErrNotFound) {
					t.Errorf("job left behind: %v", err)
				}
			})
		}
	}
}

// TestReconcileOrphansKeepsLeasedJobs keeps a provisioning job whose run
// holds a live lease, even past the grace period, and removes it once the
// lease has expired.
func TestReconcileOrphansKeepsLeasedJobs(t *testing.T) {
	e := newEnv(t, "memstore")
	ctx := context.Background()
	fresh := func() (*ugc.Job, error) {
		return &ugc.Job{Kind: JobProvision, ID: "held", Data: map[string]string{dataUserID: "held-id"}, CreatedAt: e.clock.Now()}, nil
	}
	_, resumed, err := e.svc.claim(ctx, JobProvision, "held", fresh, nil)
	must(t, err)
	if resumed {
		t.Fatal("claim of a new job resumed")
	}
	e.clock.Advance(time.Second)
	if _, err := e.svc.ReconcileOrphans(ctx, 0); err != nil {
		t.Fatal(err)
	}
	if _, err := e.st.GetJob(ctx, JobProvision, "held"); err != nil {
		t.Errorf("a leased job was removed: %v", err)
	}
	e.clock.Advance(e.svc.opts.JobLease)
	if _, err := e.svc.ReconcileOrphans(ctx, 0); err != nil {
		t.Fatal(err)
	}
	if _, err := e.st.GetJob(ctx, JobProvision, "held"); !errors.Is(err, ugc.ErrNotFound) {
		t.Errorf("job with an expired lease kept: %v", err)
	}
}

// TestDeleteAccountConcurrent runs deletions of one account at once: one
// runs it, the others are told it is in progress (or, once done, that the
// user is gone), and everything is deleted once.
func TestDeleteAccountConcurrent(t *testing.T) {
	for _, driver := range drivers {
		t.Run(driver, func(t *testing.T) {
			e := newEnv(t, driver)
			ctx := context.Background()
			u, other := e.register(t, "leaver"), e.register(t, "stayer")
			const n = 4
			errs := make([]error, n)
			start := make(chan struct{})
			var wg sync.WaitGroup
			for i := range n {
				svc := e.newService(t)
				wg.Go(func() {
					<-start
					errs[i] = svc.DeleteAccount(ctx, u.ID)
				})
			}
			close(start)
			wg.Wait()
			done := 0
			for _, err := range errs {
				switch {
				case err == nil:
					done++
				case ugc.CodeOf(err) == "deletion_in_progress", errors.Is(err, ugc.ErrNotFound):
				default:
					t.Errorf("DeleteAccount: unexpected error %v", err)
				}
			}
			if done != 1 {
				t.Errorf("%d deletions succeeded, want 1 (errors %v)", done, errs)
			}
			if err := e.svc.DeleteAccount(ctx, u.ID); !errors.Is(err, ugc.ErrNotFound) {
				t.Errorf("DeleteAccount after all ended = %v, want ErrNotFound", err)
			}
			if diff := cmp.Diff(userInventory(other), e.inventory(t)); diff != "" {
				t.Errorf("AWS leftovers (-want +got):\n%s", diff)
			}
			if _, err := e.st.GetJob(ctx, JobDelete, u.ID); !errors.Is(err, ugc.ErrNotFound) {
				t.Errorf("deletion job left behind: %v", err)
			}
		})
	}
}

// TestDeleteAccountLeaseTakeover stalls a deletion past its lease after
// its n-th step; another call takes it over and completes it, and the
// stalled call stops at its next write.
func TestDeleteAccountLeaseTakeover(t *testing.T) {
	for _, n := range []int{1, 3, 8} {
		t.Run(fmt.Sprint("step", n), func(t *testing.T) {
			e := newEnv(t, "memstore")
			ctx := context.Background()
			u, other := e.register(t, "leaver"), e.register(t, "stayer")
			var takerErr error
			e.svc.store = &hookStore{storeOf: e.st, n: n, hook: func() {
				e.clock.Advance(e.svc.opts.JobLease)
				takerErr = e.newService(t).DeleteAccount(ctx, u.ID)
			}}
			err := e.svc.DeleteAccount(ctx, u.ID)
			e.svc.store = e.st
			must(t, takerErr, "the taking-over call")
			if ugc.CodeOf(err) != "deletion_in_progress" || !errors.Is(err, ugc.ErrFailedPrecondition) {
				t.Errorf("stalled DeleteAccount = %v, want deletion_in_progress", err)
			}
			if _, err := e.st.GetUser(ctx, u.ID); !errors.Is(err, ugc.ErrNotFound) {
				t.Errorf("user after the takeover: %v", err)
			}
			if diff := cmp.Diff(userInventory(other), e.inventory(t)); diff != "" {
				t.Errorf("AWS leftovers (-want +got):\n%s", diff)
			}
			if _, err := e.st.GetJob(ctx, JobDelete, u.ID); !errors.Is(err, ugc.ErrNotFound) {
				t.Errorf("deletion job left behind (resurrected by the stalled call?): %v", err)
			}
		})
	}
}
