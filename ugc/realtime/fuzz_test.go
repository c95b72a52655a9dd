package realtime_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/realtime"
	"github.com/ivs-ugc/ugc-go/ugc/store/memstore"
)

// FuzzVerifyInvite: no input panics, and the only codes accepted are the
// ones the service signed (round trip), for their own channel.
func FuzzVerifyInvite(f *testing.F) {
	st := memstore.New()
	defer st.Close()
	ctx := context.Background()
	host := &ugc.User{ID: "host-1", Username: "host1", Email: "h@example.com", Channel: ugc.Channel{StageArn: "arn:aws:ivs:us-east-1:1:stage/abc"}}
	if err := st.CreateUser(ctx, host); err != nil {
		f.Fatal(err)
	}
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	svc, err := realtime.New(realtime.Options{Store: st, Stages: ivsrealtime.New(ivsrealtime.Options{Region: "us-east-1"}),
		InviteKey: testKey, ProjectTag: testProject, Now: func() time.Time { return now }})
	if err != nil {
		f.Fatal(err)
	}
	inv, err := svc.CreateInvite(ctx, host.ID, 0)
	if err != nil {
		f.Fatal(err)
	}
	if err := svc.VerifyInvite(ctx, inv.Code, host.ID); err != nil {
		f.Fatalf("a fresh invite does not verify: %v", err)
	}
	f.Add(inv.Code)
	f.Add("i1..")
	f.Add("i1.aGVsbG8.c2ln")
	f.Add(strings.Replace(inv.Code, "i1", "i2", 1))
	// The signature's last character carries two unused bits: a
	// non-canonical spelling of the same bytes must not verify.
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	last := strings.IndexByte(alphabet, inv.Code[len(inv.Code)-1])
	for v := last &^ 3; v < last&^3+4; v++ {
		if v != last {
			f.Add(inv.Code[:len(inv.Code)-1] + alphabet[v:v+1])
		}
	}
	f.Fuzz(func(t *testing.T, code string) {
		err := svc.VerifyInvite(ctx, code, host.ID)
		if err == nil && code != inv.Code {
			t.Fatalf("accepted %q, which the service did not sign", code)
		}
		if err != nil && ugc.CodeOf(err) != "invalid_invite" {
			t.Fatalf("code %q: error %v, want invalid_invite", code, err)
		}
		if err := svc.VerifyInvite(ctx, code, "host-2"); err == nil {
			t.Fatalf("accepted %q for another channel", code)
		}
	})
}
