package channels

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivs"
	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/store"
)

func TestRegister(t *testing.T) {
	for _, driver := range drivers {
		t.Run(driver, func(t *testing.T) {
			e := newEnv(t, driver, func(o *Options) { o.ProductLinkRegionCode = "us" })
			ctx := context.Background()
			u := e.register(t, "Alice.B")
			// A fresh registration makes three calls and lists nothing.
			var ops []string
			for _, c := range e.srv.Calls() {
				ops = append(ops, c.Operation)
			}
			if diff := cmp.Diff([]string{"CreateChannel", "CreateRoom", "CreateStage"}, ops); diff != "" {
				t.Errorf("AWS calls mismatch (-want +got):\n%s", diff)
			}

			got, err := e.svc.Get(ctx, u.ID)
			must(t, err)
			if diff := cmp.Diff(u.Channel, got.Channel); diff != "" {
				t.Errorf("stored channel mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(userInventory(u), e.inventory(t)); diff != "" {
				t.Errorf("resources mismatch (-want +got):\n%s", diff)
			}
			wantTID := strings.ToLower(ugc.ChannelID(u.Channel.Arn)) + "-us"
			if got.Channel.TrackingID != wantTID {
				t.Errorf("TrackingID = %q, want %q", got.Channel.TrackingID, wantTID)
			}
			// The stored key is the channel's one valid key.
			k, err := e.ivs.GetStreamKey(ctx, &ivs.GetStreamKeyInput{Arn: aws.String(got.Channel.StreamKeyArn)})
			must(t, err)
			if aws.ToString(k.StreamKey.Value) != got.Channel.StreamKey.Reveal() {
				t.Errorf("stored stream key differs from the channel's")
			}
			ch, err := e.ivs.GetChannel(ctx, &ivs.GetChannelInput{Arn: aws.String(u.Channel.Arn)})
			must(t, err)
			if diff := cmp.Diff(map[string]string{TagProject: testProject, TagOwner: u.ID, TagCreatedAt: e.clock.Now().Format(time.RFC3339)}, ch.Channel.Tags); diff != "" {
				t.Errorf("channel tags mismatch (-want +got):\n%s", diff)
			}
			if got.Channel.Type != TypeStandard || got.Channel.LatencyMode != "LOW" || got.Channel.IngestEndpoint == "" || got.Channel.PlaybackURL == "" {
				t.Errorf("channel = %+v, want STANDARD/LOW with endpoints", got.Channel)
			}
			if _, err := e.st.GetJob(ctx, JobProvision, "alice.b"); !errors.Is(err, ugc.ErrNotFound) {
				t.Errorf("provisioning job left behind: %v", err)
			}
			if e.svc.IngestServer(got) != "rtmps://"+got.Channel.IngestEndpoint+":443/app/" {
				t.Errorf("IngestServer = %q", e.svc.IngestServer(got))
			}
		})
	}
}

func TestRegisterValidation(t *testing.T) {
	e := newEnv(t, "memstore", func(o *Options) { o.SignupDomains = []string{"example.com"} })
	ctx := context.Background()
	taken := e.register(t, "taken")
	tests := []struct {
		name  string
		in    RegisterInput
		kind  error
		field string
		code  string
	}{
		{"short", RegisterInput{Username: "abc", Email: "a@example.com"}, ugc.ErrInvalidArgument, "username", "invalid_username"},
		{"charset", RegisterInput{Username: "ab-cd", Email: "a@example.com"}, ugc.ErrInvalidArgument, "username", "invalid_username"},
		{"reserved any case", RegisterInput{Username: "Settings", Email: "a@example.com"}, ugc.ErrInvalidArgument, "username", "reserved_username"},
		{"reserved route", RegisterInput{Username: "directory", Email: "a@example.com"}, ugc.ErrInvalidArgument, "username", "reserved_username"},
		{"bad email", RegisterInput{Username: "someone", Email: "nope"}, ugc.ErrInvalidArgument, "email", "invalid_argument"},
		{"domain", RegisterInput{Username: "someone", Email: "a@other.com"}, ugc.ErrInvalidArgument, "email", "email_domain_not_allowed"},
		{"taken username any case", RegisterInput{Username: "TAKEN", Email: "b@example.com"}, ugc.ErrAlreadyExists, "username", "username_taken"},
		{"taken email, domain any case", RegisterInput{Username: "someone", Email: "taken@EXAMPLE.com"}, ugc.ErrAlreadyExists, "email", "email_taken"},
		{"bad color", RegisterInput{Username: "someone", Email: "c@example.com", Color: "pink"}, ugc.ErrInvalidArgument, "color", "invalid_argument"},
		{"custom avatar", RegisterInput{Username: "someone", Email: "c@example.com", Avatar: "custom"}, ugc.ErrInvalidArgument, "avatar", "invalid_argument"},
		{"user ID charset", RegisterInput{Username: "someone", Email: "c@example.com", UserID: "a b"}, ugc.ErrInvalidArgument, "userId", "invalid_argument"},
		{"user ID too long", RegisterInput{Username: "someone", Email: "c@example.com", UserID: strings.Repeat("a", 65)}, ugc.ErrInvalidArgument, "userId", "invalid_argument"},
		{"user ID in use", RegisterInput{Username: "someone", Email: "c@example.com", UserID: taken.ID}, ugc.ErrAlreadyExists, "userId", "user_exists"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.svc.Register(ctx, tt.in)
			got := []any{errors.Is(err, tt.kind), ugc.FieldOf(err), ugc.CodeOf(err)}
			if diff := cmp.Diff([]any{true, tt.field, tt.code}, got); diff != "" {
				t.Errorf("Register(%+v) = %v; mismatch (-want +got):\n%s", tt.in, err, diff)
			}
		})
	}
	// Domain accepted in any case, and nothing was provisioned by the refusals.
	u, err := e.svc.Register(ctx, RegisterInput{Username: "someone", Email: "Someone@Example.COM"})
	must(t, err)
	if u.Email != "Someone@example.com" {
		t.Errorf("Email = %q, want the domain lower-cased", u.Email)
	}
	if n := len(e.inventory(t).Channels); n != 2 {
		t.Errorf("%d channels, want 2", n)
	}
}

// A caller-chosen user ID is the user's ID and the owner tag of the
// resources.
func TestRegisterWithUserID(t *testing.T) {
	e := newEnv(t, "sqlstore")
	ctx := context.Background()
	u, err := e.svc.Register(ctx, RegisterInput{Username: "chosen", Email: "chosen@example.com", UserID: "ext-0123_abc"})
	must(t, err)
	if u.ID != "ext-0123_abc" {
		t.Fatalf("ID = %q, want ext-0123_abc", u.ID)
	}
	if diff := cmp.Diff(userInventory(u), e.inventory(t)); diff != "" {
		t.Errorf("resources mismatch (-want +got):\n%s", diff)
	}
	ch, err := e.ivs.GetChannel(ctx, &ivs.GetChannelInput{Arn: aws.String(u.Channel.Arn)})
	must(t, err)
	if ch.Channel.Tags[TagOwner] != "ext-0123_abc" {
		t.Errorf("owner tag = %q", ch.Channel.Tags[TagOwner])
	}
	// Another name for the same ID is refused, and makes nothing.
	if _, err := e.svc.Register(ctx, RegisterInput{Username: "chosen2", Email: "chosen2@example.com", UserID: "ext-0123_abc"}); ugc.CodeOf(err) != "user_exists" {
		t.Errorf("Register of a used ID = %v, want user_exists", err)
	}
	if n := len(e.inventory(t).Channels); n != 1 {
		t.Errorf("%d channels, want 1", n)
	}
}

// TestRegisterFaultAtEveryStep fails each AWS call of a registration in
// turn, and checks that nothing is left behind and that the same
// registration then succeeds.
func TestRegisterFaultAtEveryStep(t *testing.T) {
	steps := []string{"CreateChannel", "CreateRoom", "CreateStage"}
	for _, driver := range drivers {
		for _, op := range steps {
			t.Run(driver+"/"+op, func(t *testing.T) {
				e := newEnv(t, driver)
				ctx := context.Background()
				e.fault(op)
				_, err := e.svc.Register(ctx, RegisterInput{Username: "bob_1", Email: "bob@example.com"})
				if !errors.Is(err, ugc.ErrUnavailable) {
					t.Fatalf("Register with a %s fault = %v, want ErrUnavailable", op, err)
				}
				var ae smithy.APIError
				if !errors.As(err, &ae) || ae.ErrorCode() != "InternalServerException" {
					t.Errorf("errors.As(smithy.APIError) = %v, want InternalServerException", ae)
				}
				if diff := cmp.Diff(userInventory(), e.inventory(t)); diff != "" {
					t.Errorf("resources left behind (-want +got):\n%s", diff)
				}
				if _, err := e.st.GetJob(ctx, JobProvision, "bob_1"); !errors.Is(err, ugc.ErrNotFound) {
					t.Errorf("job left behind: %v", err)
				}
				if _, err := e.st.GetUserByUsername(ctx, "bob_1"); !errors.Is(err, ugc.ErrNotFound) {
					t.Errorf("user stored after a failure: %v", err)
				}
				u := e.register(t, "bob_1")
				if diff := cmp.Diff(userInventory(u), e.inventory(t)); diff != "" {
					t.Errorf("after retry, resources mismatch (-want +got):\n%s", diff)
				}
			})
		}
	}
}

// TestRegisterCompensationFails fails a step and then a compensating
// delete: the job keeps what is left, and a retry resumes with it.
func TestRegisterCompensationFails(t *testing.T) {
	tests := []struct{ step, undo string }{
		{"CreateRoom", "DeleteChannel"},
		{"CreateStage", "DeleteRoom"},
		{"CreateStage", "DeleteChannel"},
		{"CreateUser", "DeleteStage"}, // the store refuses the user: taken email
	}
	for _, driver := range drivers {
		for _, tt := range tests {
			t.Run(driver+"/"+tt.step+"+"+tt.undo, func(t *testing.T) {
				e := newEnv(t, driver)
				ctx := context.Background()
				in := RegisterInput{Username: "carol", Email: "carol@example.com"}
				if tt.step == "CreateUser" {
					// Another user takes the email between the check and the write.
					e.svc.store = &raceStore{Store: e.st, before: func() {
						e.register(t, "other")
						u, _ := e.st.GetUserByUsername(ctx, "other")
						u.Email = "carol@example.com"
						must(t, e.st.UpdateUser(ctx, u))
					}}
				} else {
					e.fault(tt.step)
				}
				e.fault(tt.undo)
				_, err := e.svc.Register(ctx, in)
				if err == nil {
					t.Fatal("got no error")
				}
				job, err := e.st.GetJob(ctx, JobProvision, "carol")
				must(t, err, "the job must stay when cleanup fails")
				inv := e.inventory(t)
				left := len(inv.Channels) + len(inv.Rooms) + len(inv.Stages)
				if tt.step == "CreateUser" {
					e.svc.store = e.st
					other, err := e.st.GetUserByUsername(ctx, "other")
					must(t, err)
					left -= 3 // other's
					must(t, e.svc.DeleteAccount(ctx, other.ID))
				}
				if left != 1 {
					t.Errorf("%d resources left after the failed cleanup, want 1 (%+v, job %+v)", left, inv, job.Data)
				}
				u, err := e.svc.Register(ctx, in)
				must(t, err)
				if diff := cmp.Diff(userInventory(u), e.inventory(t)); diff != "" {
					t.Errorf("after resume, resources mismatch (-want +got):\n%s", diff)
				}
				if u.ID != job.Data[dataUserID] {
					t.Errorf("resumed with user ID %q, want the job's %q", u.ID, job.Data[dataUserID])
				}
			})
		}
	}
}

// raceStore runs before once, just before the first CreateUser.
type raceStore struct {
	store.Store
	once   sync.Once
	before func()
}

func (r *raceStore) CreateUser(ctx context.Context, u *ugc.User) error {
	if u.Username != "other" {
		r.once.Do(r.before)
	}
	return r.Store.CreateUser(ctx, u)
}

// TestRegisterCrashResume interrupts the saga mid-way (the steps run, the
// process "dies") and checks that the retry adopts what exists.
func TestRegisterCrashResume(t *testing.T) {
	for _, driver := range drivers {
		for _, crashAfter := range []string{"channel", "room", "stage", "channel-unrecorded", "user"} {
			t.Run(driver+"/"+crashAfter, func(t *testing.T) {
				e := newEnv(t, driver)
				ctx := context.Background()
				in := RegisterInput{Username: "Dave", Email: "dave@example.com"}
				job := &ugc.Job{Kind: JobProvision, ID: "dave", Data: map[string]string{
					dataUserID: "crashed-id", dataUsername: in.Username, dataEmail: in.Email}, CreatedAt: e.clock.Now(), UpdatedAt: e.clock.Now()}
				must(t, e.st.PutJob(ctx, job))
				p := &provisioning{s: e.svc, job: job}
				must(t, p.ensureChannel(ctx))
				made := p.ch
				if crashAfter == "channel-unrecorded" {
					// Crash between CreateChannel and recording it.
					delete(job.Data, dataChannelArn)
					must(t, e.st.PutJob(ctx, job))
				}
				if crashAfter != "channel" && crashAfter != "channel-unrecorded" {
					must(t, p.ensureRoom(ctx))
				}
				if crashAfter == "stage" || crashAfter == "user" {
					must(t, p.ensureStage(ctx))
				}
				var stored *ugc.User
				if crashAfter == "user" {
					var err error
					p.resumed = true                       // adopts the resources made above
					stored, err = p.run(ctx, in, in.Email) // stores the user; the job stays
					must(t, err)
				} else {
					// Until the crashed run's lease expires, it may be alive.
					_, err := e.svc.Register(ctx, in)
					if got := []any{errors.Is(err, ugc.ErrAlreadyExists), ugc.FieldOf(err), ugc.CodeOf(err)}; !cmp.Equal(got, []any{true, "username", "registration_in_progress"}) {
						t.Errorf("Register under the crashed run's live lease = %v, want registration_in_progress", err)
					}
				}
				e.clock.Advance(e.svc.opts.JobLease)

				u, err := e.svc.Register(ctx, in)
				must(t, err)
				if u.ID != "crashed-id" || u.Channel.Arn != made.Arn || u.Channel.StreamKeyArn != made.StreamKeyArn {
					t.Errorf("resumed user %q channel %q key %q, want crashed-id %q %q", u.ID, u.Channel.Arn, u.Channel.StreamKeyArn, made.Arn, made.StreamKeyArn)
				}
				if u.Channel.StreamKey.Reveal() != made.StreamKey.Reveal() {
					t.Errorf("resumed stream key differs from the one made")
				}
				if stored != nil && u.Channel != stored.Channel {
					t.Errorf("Register after a stored user returned another channel")
				}
				if diff := cmp.Diff(userInventory(u), e.inventory(t)); diff != "" {
					t.Errorf("resources mismatch (-want +got):\n%s", diff)
				}
				if _, err := e.st.GetJob(ctx, JobProvision, "dave"); !errors.Is(err, ugc.ErrNotFound) {
					t.Errorf("job left behind: %v", err)
				}
			})
		}
	}
}

// TestRegisterConcurrentSameUsername races registrations of one username:
// exactly one wins, and no resource is left behind.
func TestRegisterConcurrentSameUsername(t *testing.T) {
	e := newEnv(t, "memstore")
	ctx := context.Background()
	const n = 6
	var wg sync.WaitGroup
	errs := make([]error, n)
	users := make([]*ugc.User, n)
	for i := range n {
		wg.Go(func() {
			users[i], errs[i] = e.svc.Register(ctx, RegisterInput{Username: "race", Email: "race@example.com"})
		})
	}
	wg.Wait()
	var winner *ugc.User
	for i, err := range errs {
		switch {
		case err == nil:
			if winner != nil && winner.ID != users[i].ID {
				t.Errorf("two users registered: %s and %s", winner.ID, users[i].ID)
			}
			winner = users[i]
		case errors.Is(err, ugc.ErrAlreadyExists):
		default:
			t.Errorf("Register: unexpected error %v", err)
		}
	}
	if winner == nil {
		t.Fatal("no registration succeeded")
	}
	// Duplicates of the losers are older than no grace; the reconciler
	// removes any that a loser could not.
	e.clock.Advance(time.Minute)
	if _, err := e.svc.ReconcileOrphans(ctx, 0); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(userInventory(winner), e.inventory(t)); diff != "" {
		t.Errorf("resources mismatch (-want +got):\n%s", diff)
	}
}

func TestReconcileOrphans(t *testing.T) {
	for _, driver := range drivers {
		t.Run(driver, func(t *testing.T) {
			e := newEnv(t, driver)
			ctx := context.Background()
			keep := e.register(t, "keeper")
			// An abandoned registration: a step and its cleanup fail.
			e.fault("CreateStage")
			e.fault("DeleteChannel")
			_, err := e.svc.Register(ctx, RegisterInput{Username: "ghost", Email: "ghost@example.com"})
			if err == nil {
				t.Fatal("got no error")
			}
			if n := len(e.inventory(t).Channels); n != 2 {
				t.Fatalf("%d channels, want 2", n)
			}
			// Another project's resources are never touched.
			other, err := e.ivs.CreateChannel(ctx, &ivs.CreateChannelInput{Tags: map[string]string{TagProject: "other", TagOwner: "nobody"}})
			must(t, err)

			if n, err := e.svc.ReconcileOrphans(ctx, time.Hour); err != nil || n != 0 {
				t.Fatalf("ReconcileOrphans within the grace period = %d, %v; want 0, nil", n, err)
			}
			e.clock.Advance(2 * time.Hour)
			n, err := e.svc.ReconcileOrphans(ctx, time.Hour)
			must(t, err)
			if n != 1 {
				t.Errorf("deleted %d, want 1", n)
			}
			want := userInventory(keep)
			want.Channels[aws.ToString(other.Channel.Arn)] = "nobody"
			want.Keys[aws.ToString(other.StreamKey.Arn)] = aws.ToString(other.Channel.Arn)
			if diff := cmp.Diff(want, e.inventory(t)); diff != "" {
				t.Errorf("resources mismatch (-want +got):\n%s", diff)
			}
			if _, err := e.st.GetJob(ctx, JobProvision, "ghost"); !errors.Is(err, ugc.ErrNotFound) {
				t.Errorf("stale job not removed: %v", err)
			}
			// The name is free and registers cleanly.
			e.register(t, "ghost")
		})
	}
}

// TestRegisterResumeFaultAtEveryStep fails each AWS call of a resumed
// registration (the lookups by tag and the adoption of what a crashed run
// made), then retries: the user ends with exactly one of each resource.
func TestRegisterResumeFaultAtEveryStep(t *testing.T) {
	steps := []string{"ListChannels", "GetChannel", "ListStreamKeys", "GetStreamKey", "CreateStreamKey", "ListRooms", "ListStages", "CreateStage"}
	for _, driver := range drivers {
		for _, op := range steps {
			t.Run(driver+"/"+op, func(t *testing.T) {
				e := newEnv(t, driver)
				ctx := context.Background()
				in := RegisterInput{Username: "erin", Email: "erin@example.com"}
				job := &ugc.Job{Kind: JobProvision, ID: "erin", Data: map[string]string{
					dataUserID: "erin-id", dataUsername: in.Username, dataEmail: in.Email}, CreatedAt: e.clock.Now(), UpdatedAt: e.clock.Now()}
				must(t, e.st.PutJob(ctx, job))
				p := &provisioning{s: e.svc, job: job}
				must(t, p.ensureChannel(ctx))
				must(t, p.ensureRoom(ctx))
				if op == "CreateStreamKey" {
					// The crashed run lost the key too (say, mid-reset).
					_, err := e.ivs.DeleteStreamKey(ctx, &ivs.DeleteStreamKeyInput{Arn: aws.String(p.ch.StreamKeyArn)})
					must(t, err)
				}
				e.clock.Advance(e.svc.opts.JobLease) // the crashed run's lease expires
				e.fault(op)
				if _, err := e.svc.Register(ctx, in); !errors.Is(err, ugc.ErrUnavailable) {
					t.Fatalf("Register with a %s fault = %v, want ErrUnavailable", op, err)
				}
				// The failed run released the job: the retry resumes it at once.
				u, err := e.svc.Register(ctx, in)
				must(t, err)
				if u.ID != "erin-id" || u.Channel.Arn != p.ch.Arn || u.Channel.ChatRoomArn != p.ch.ChatRoomArn {
					t.Errorf("did not adopt the crashed run's resources: %+v", u.Channel)
				}
				if diff := cmp.Diff(userInventory(u), e.inventory(t)); diff != "" {
					t.Errorf("resources mismatch (-want +got):\n%s", diff)
				}
				k, err := e.ivs.GetStreamKey(ctx, &ivs.GetStreamKeyInput{Arn: aws.String(u.Channel.StreamKeyArn)})
				must(t, err)
				if aws.ToString(k.StreamKey.Value) != u.Channel.StreamKey.Reveal() {
					t.Errorf("stored stream key is not the channel's")
				}
			})
		}
	}
}

// failNthJobWrite fails the n-th job write (CreateJob or UpdateJob,
// 1-based) once.
type failNthJobWrite struct {
	storeOf
	mu    sync.Mutex
	calls int
	n     int
}

func (f *failNthJobWrite) fail() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	return f.calls == f.n
}

func (f *failNthJobWrite) CreateJob(ctx context.Context, j *ugc.Job) error {
	if f.fail() {
		return errors.New("store write failed")
	}
	return f.storeOf.CreateJob(ctx, j)
}

func (f *failNthJobWrite) UpdateJob(ctx context.Context, j *ugc.Job, prev time.Time) error {
	if f.fail() {
		return errors.New("store write failed")
	}
	return f.storeOf.UpdateJob(ctx, j, prev)
}

// TestRegisterStoreFaultAtEveryStep fails each job write of a registration
// (the claim and the record of each resource): nothing is left behind, and
// the registration then succeeds.
func TestRegisterStoreFaultAtEveryStep(t *testing.T) {
	for n := 1; n <= 4; n++ {
		t.Run(fmt.Sprint("JobWrite", n), func(t *testing.T) {
			e := newEnv(t, "memstore")
			ctx := context.Background()
			e.svc.store = &failNthJobWrite{storeOf: e.st, n: n}
			if _, err := e.svc.Register(ctx, RegisterInput{Username: "frank", Email: "frank@example.com"}); err == nil {
				t.Fatal("Register with a failing job write succeeded")
			}
			if diff := cmp.Diff(userInventory(), e.inventory(t)); diff != "" {
				t.Errorf("resources left behind (-want +got):\n%s", diff)
			}
			if _, err := e.st.GetJob(ctx, JobProvision, "frank"); !errors.Is(err, ugc.ErrNotFound) {
				t.Errorf("job left behind: %v", err)
			}
			u := e.register(t, "frank")
			if diff := cmp.Diff(userInventory(u), e.inventory(t)); diff != "" {
				t.Errorf("after retry, resources mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestRegisterFaultThroughControlAPI arms a fault with the emulator's HTTP
// control API, as a test in another process would.
func TestRegisterFaultThroughControlAPI(t *testing.T) {
	e := newEnv(t, "memstore")
	ctx := context.Background()
	resp, err := http.Post(e.srv.URL+"/_ivslocal/faults", "application/json",
		strings.NewReader(`{"operation":"CreateRoom","error":"InternalServerException","count":1}`))
	must(t, err)
	resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		t.Fatalf("POST /_ivslocal/faults: %s", resp.Status)
	}
	if _, err := e.svc.Register(ctx, RegisterInput{Username: "gina", Email: "gina@example.com"}); !errors.Is(err, ugc.ErrUnavailable) {
		t.Fatalf("Register = %v, want ErrUnavailable", err)
	}
	if diff := cmp.Diff(userInventory(), e.inventory(t)); diff != "" {
		t.Errorf("resources left behind (-want +got):\n%s", diff)
	}
	u := e.register(t, "gina")
	if diff := cmp.Diff(userInventory(u), e.inventory(t)); diff != "" {
		t.Errorf("after retry, resources mismatch (-want +got):\n%s", diff)
	}
}
