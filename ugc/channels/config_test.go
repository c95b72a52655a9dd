package channels

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivs"
	"github.com/google/go-cmp/cmp"

	"github.com/ivs-ugc/ugc-go/ugc"
)

// keysOf returns the ARNs of the channel's stream keys.
func (e *env) keysOf(t testing.TB, channelArn string) []string {
	t.Helper()
	out, err := e.ivs.ListStreamKeys(context.Background(), &ivs.ListStreamKeysInput{ChannelArn: aws.String(channelArn)})
	must(t, err)
	var arns []string
	for _, k := range out.StreamKeys {
		arns = append(arns, aws.ToString(k.Arn))
	}
	return arns
}

// checkOneKey checks that the channel has exactly one stream key, the
// stored one, and that a broadcaster can go live with it.
func (e *env) checkOneKey(t testing.TB, userID string) *ugc.User {
	t.Helper()
	u, err := e.svc.Get(context.Background(), userID)
	must(t, err)
	if diff := cmp.Diff([]string{u.Channel.StreamKeyArn}, e.keysOf(t, u.Channel.Arn)); diff != "" {
		t.Errorf("stream keys mismatch (-want +got):\n%s", diff)
	}
	if _, _, err := e.srv.StartStream(u.Channel.StreamKey.Reveal()); err != nil {
		t.Errorf("StartStream with the stored key: %v", err)
	} else {
		must(t, e.srv.EndStream(ugc.ChannelID(u.Channel.Arn)))
	}
	return u
}

func TestResetStreamKey(t *testing.T) {
	for _, driver := range drivers {
		t.Run(driver, func(t *testing.T) {
			e := newEnv(t, driver)
			ctx := context.Background()
			u := e.register(t, "streamer")
			// Live with the old key: the reset stops the stream.
			_, _, err := e.srv.StartStream(u.Channel.StreamKey.Reveal())
			must(t, err)
			k, err := e.svc.ResetStreamKey(ctx, u.ID)
			must(t, err)
			if k.Reveal() == u.Channel.StreamKey.Reveal() || k.String() != "REDACTED" {
				t.Errorf("new key equal to the old one, or not redacted")
			}
			if e.countCalls("StopStream") != 1 {
				t.Errorf("StopStream called %d times, want 1", e.countCalls("StopStream"))
			}
			if _, _, err := e.srv.StartStream(u.Channel.StreamKey.Reveal()); err == nil {
				t.Errorf("the old key still works")
			}
			got := e.checkOneKey(t, u.ID)
			if got.Channel.StreamKey.Reveal() != k.Reveal() {
				t.Errorf("stored key differs from the returned one")
			}
		})
	}
}

// failingStore fails UpdateUser once.
type failingStore struct {
	storeOf
	fail bool
}

func (f *failingStore) UpdateUser(ctx context.Context, u *ugc.User) error {
	if f.fail {
		f.fail = false
		return errors.New("disk on fire")
	}
	return f.storeOf.UpdateUser(ctx, u)
}

// TestResetStreamKeyRetry fails each step of a reset once, then retries:
// the channel ends with exactly one valid key, the stored one.
func TestResetStreamKeyRetry(t *testing.T) {
	steps := []string{"StopStream", "ListStreamKeys", "DeleteStreamKey", "CreateStreamKey", "store"}
	for _, driver := range drivers {
		for _, step := range steps {
			t.Run(driver+"/"+step, func(t *testing.T) {
				e := newEnv(t, driver)
				ctx := context.Background()
				u := e.register(t, "streamer")
				if step == "store" {
					e.svc.store = &failingStore{storeOf: e.st, fail: true}
				} else {
					e.fault(step)
				}
				if _, err := e.svc.ResetStreamKey(ctx, u.ID); err == nil {
					t.Fatalf("ResetStreamKey with a %s fault succeeded", step)
				}
				k, err := e.svc.ResetStreamKey(ctx, u.ID)
				must(t, err)
				got := e.checkOneKey(t, u.ID)
				if got.Channel.StreamKey.Reveal() != k.Reveal() {
					t.Errorf("stored key differs from the returned one")
				}
			})
		}
	}
}

func TestReconcileChannelConfig(t *testing.T) {
	e := newEnv(t, "memstore")
	ctx := context.Background()
	u := e.register(t, "tuner")
	channel := func() *ivs.GetChannelOutput {
		out, err := e.ivs.GetChannel(ctx, &ivs.GetChannelInput{Arn: aws.String(u.Channel.Arn)})
		must(t, err)
		return out
	}
	multitrack := &MultitrackInput{Enabled: true, MaximumResolution: "HD", Policy: "REQUIRE"}
	steps := []struct {
		name        string
		opts        func(*Options)
		wantChanged bool
		want        []string // type, latency, preset, container, multitrack enabled
	}{
		{"unchanged defaults", func(*Options) {}, false, []string{"STANDARD", "LOW", "", "TS", "false"}},
		{"to basic", func(o *Options) { o.ChannelType = TypeBasic }, true, []string{"BASIC", "LOW", "", "TS", "false"}},
		{"basic again", func(o *Options) { o.ChannelType = TypeBasic }, false, []string{"BASIC", "LOW", "", "TS", "false"}},
		{"advanced, default preset", func(o *Options) { o.ChannelType = TypeAdvancedHD }, true, []string{"ADVANCED_HD", "LOW", "HIGHER_BANDWIDTH_DELIVERY", "TS", "false"}},
		{"advanced, preset spelt out", func(o *Options) {
			o.ChannelType, o.TranscodePreset = TypeAdvancedHD, "HIGHER_BANDWIDTH_DELIVERY"
		}, false, []string{"ADVANCED_HD", "LOW", "HIGHER_BANDWIDTH_DELIVERY", "TS", "false"}},
		{"multitrack on", func(o *Options) { o.Multitrack = multitrack }, true, []string{"STANDARD", "LOW", "", "FRAGMENTED_MP4", "true"}},
		{"multitrack again", func(o *Options) { o.Multitrack = multitrack }, false, []string{"STANDARD", "LOW", "", "FRAGMENTED_MP4", "true"}},
		{"multitrack off", func(o *Options) { o.Multitrack = &MultitrackInput{Enabled: false} }, true, []string{"STANDARD", "LOW", "", "TS", "false"}},
		{"multitrack nil", func(*Options) {}, false, []string{"STANDARD", "LOW", "", "TS", "false"}},
		{"normal latency", func(o *Options) { o.LatencyMode = "NORMAL" }, true, []string{"STANDARD", "NORMAL", "", "TS", "false"}},
	}
	updates := 0
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			svc := e.newService(t, st.opts)
			changed, err := svc.ReconcileChannelConfig(ctx, u.ID)
			must(t, err)
			if st.wantChanged {
				updates++
			}
			ch := channel().Channel
			mt := ch.MultitrackInputConfiguration != nil && ch.MultitrackInputConfiguration.Enabled
			got := []string{string(ch.Type), string(ch.LatencyMode), string(ch.Preset), string(ch.ContainerFormat), map[bool]string{true: "true", false: "false"}[mt]}
			if diff := cmp.Diff(st.want, got); diff != "" {
				t.Errorf("channel config mismatch (-want +got):\n%s", diff)
			}
			if changed != st.wantChanged || e.countCalls("UpdateChannel") != updates {
				t.Errorf("changed = %v with %d UpdateChannel calls, want %v with %d", changed, e.countCalls("UpdateChannel"), st.wantChanged, updates)
			}
			stored, err := svc.Get(ctx, u.ID)
			must(t, err)
			if stored.Channel.Type != st.want[0] || stored.Channel.LatencyMode != st.want[1] {
				t.Errorf("stored type/latency %s/%s, want %s/%s", stored.Channel.Type, stored.Channel.LatencyMode, st.want[0], st.want[1])
			}
		})
	}
}

func TestNewOptions(t *testing.T) {
	e := newEnv(t, "memstore")
	base := Options{Store: e.st, IVS: e.ivs, Chat: e.chat, Stages: e.stages, Assets: e.assets, ProjectTag: "p"}
	tests := []struct {
		name  string
		fn    func(*Options)
		field string
	}{
		{"ok", func(*Options) {}, ""},
		{"no store", func(o *Options) { o.Store = nil }, "Store"},
		{"no project", func(o *Options) { o.ProjectTag = "" }, "ProjectTag"},
		{"bad type", func(o *Options) { o.ChannelType = "HUGE" }, "ChannelType"},
		{"preset on standard", func(o *Options) { o.TranscodePreset = "HIGHER_BANDWIDTH_DELIVERY" }, "TranscodePreset"},
		{"multitrack on basic", func(o *Options) {
			o.ChannelType, o.Multitrack = TypeBasic, &MultitrackInput{Enabled: true}
		}, "Multitrack"},
		{"bad latency", func(o *Options) { o.LatencyMode = "ULTRA" }, "LatencyMode"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(base, tt.fn)
			if ugc.FieldOf(err) != tt.field || (tt.field != "") != errors.Is(err, ugc.ErrInvalidArgument) {
				t.Errorf("New = %v, want an error naming %q", err, tt.field)
			}
		})
	}
}

// TestResetStreamKeyConcurrent races resets: every call either succeeds or
// asks for a retry, and after one more reset the stored key is the
// channel's only key.
func TestResetStreamKeyConcurrent(t *testing.T) {
	e := newEnv(t, "memstore")
	ctx := context.Background()
	u := e.register(t, "racer")
	var wg sync.WaitGroup
	errs := make([]error, 6)
	for i := range errs {
		wg.Go(func() { _, errs[i] = e.svc.ResetStreamKey(ctx, u.ID) })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil && !errors.Is(err, ugc.ErrFailedPrecondition) && !errors.Is(err, ugc.ErrUnavailable) {
			t.Errorf("concurrent reset: %v, want success, a retry request or a quota refusal", err)
		}
	}
	_, err := e.svc.ResetStreamKey(ctx, u.ID)
	must(t, err)
	e.checkOneKey(t, u.ID)
}
