package realtime_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
	"github.com/google/go-cmp/cmp"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/ivslocal"
	"github.com/ivs-ugc/ugc-go/ugc/realtime"
)

// pipeListener serves HTTP over net.Pipe connections, which synctest
// treats as durably blocking, unlike sockets.
type pipeListener struct {
	conns chan net.Conn
	done  chan struct{}
	once  sync.Once
}

func newPipeListener() *pipeListener {
	return &pipeListener{conns: make(chan net.Conn), done: make(chan struct{})}
}

func (l *pipeListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.conns:
		return c, nil
	case <-l.done:
		return nil, net.ErrClosed
	}
}

func (l *pipeListener) Close() error {
	l.once.Do(func() { close(l.done) })
	return nil
}

func (l *pipeListener) Addr() net.Addr { return &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1)} }

func (l *pipeListener) dial(ctx context.Context, _, _ string) (net.Conn, error) {
	srv, cli := net.Pipe()
	select {
	case l.conns <- srv:
		return cli, nil
	case <-l.done:
		return nil, net.ErrClosed
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// The host leaving ends the session after the grace period, unless they
// return; a host who never joins is treated as gone since the start.
func TestHostGrace(t *testing.T) {
	e := newBareEnv(t, "memstore")
	hosts := e.users("host", 3) // gone, back, never
	synctest.Test(t, func(t *testing.T) {
		ln := newPipeListener()
		hsrv := &http.Server{Handler: e.srv}
		served := make(chan struct{})
		go func() { defer close(served); _ = hsrv.Serve(ln) }()
		tr := &http.Transport{DialContext: ln.dial}
		client := ivsrealtime.NewFromConfig(e.srv.AWSConfig(), func(o *ivsrealtime.Options) {
			o.HTTPClient = &http.Client{Transport: tr}
		})
		svc, err := realtime.New(realtime.Options{Store: e.st, Stages: client, InviteKey: testKey, ProjectTag: testProject})
		if err != nil {
			t.Fatal(err)
		}
		stopForward := e.forward(svc)
		defer func() {
			stopForward()
			_ = hsrv.Close()
			tr.CloseIdleConnections()
			<-served
		}()
		ctx := context.Background()
		pids := map[string]string{}
		for _, h := range hosts {
			hs, err := svc.StartSession(ctx, h.ID)
			if err != nil {
				t.Fatal(err)
			}
			if h.Username == "host02" {
				continue // never joins
			}
			pids[h.ID], err = e.srv.JoinStage(ugc.ChannelID(h.Channel.StageArn), hs.Host.Token.Reveal())
			if err != nil {
				t.Fatal(err)
			}
		}
		time.Sleep(time.Minute)
		for _, h := range hosts[:2] {
			if err := e.srv.LeaveStage(ugc.ChannelID(h.Channel.StageArn), pids[h.ID]); err != nil {
				t.Fatal(err)
			}
		}
		runCtx, stop := context.WithCancel(ctx)
		ran := make(chan error)
		go func() { ran <- svc.Run(runCtx, 30*time.Second) }()

		// host01 comes back a minute later with a fresh token.
		time.Sleep(time.Minute)
		hs, err := svc.StartSession(ctx, hosts[1].ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.srv.JoinStage(ugc.ChannelID(hosts[1].Channel.StageArn), hs.Host.Token.Reveal()); err != nil {
			t.Fatal(err)
		}

		active := func() map[string]bool {
			synctest.Wait()
			got := map[string]bool{}
			for _, h := range hosts {
				_, err := e.st.ActiveStageSession(ctx, h.ID)
				got[h.Username] = err == nil
			}
			return got
		}
		// t = 2m50s after the host left (3m50s after the start).
		time.Sleep(time.Minute + 50*time.Second)
		if diff := cmp.Diff(map[string]bool{"host00": true, "host01": true, "host02": false}, active()); diff != "" {
			t.Errorf("before the grace period mismatch (-want +got):\n%s", diff)
		}
		time.Sleep(40 * time.Second)
		if diff := cmp.Diff(map[string]bool{"host00": false, "host01": true, "host02": false}, active()); diff != "" {
			t.Errorf("after the grace period mismatch (-want +got):\n%s", diff)
		}
		if live, _ := e.st.GetLive(ctx, hosts[0].ID); len(live) != 0 {
			t.Errorf("ended session still live: %+v", live)
		}
		stop()
		if err := <-ran; !errors.Is(err, context.Canceled) {
			t.Errorf("Run returned %v", err)
		}
	})
}

// Ownerless project stages are deleted once old enough; a failed delete
// is retried by the next pass; other projects' stages are left alone.
func TestJanitorOrphans(t *testing.T) {
	e := newEnv(t, "memstore", func(o *realtime.Options) { o.OrphanGrace = time.Hour })
	owner := e.register("owner")
	ctx := context.Background()
	old := e.clock.Now().Add(-2 * time.Hour).Format(time.RFC3339)
	fresh := e.clock.Now().Add(-time.Minute).Format(time.RFC3339)
	mk := func(tags map[string]string) string {
		out, err := e.stages.CreateStage(ctx, &ivsrealtime.CreateStageInput{Tags: tags})
		if err != nil {
			t.Fatal(err)
		}
		return aws.ToString(out.Stage.Arn)
	}
	ghost := mk(map[string]string{realtime.TagProject: testProject, realtime.TagOwner: "ghost", realtime.TagCreatedAt: old})
	dup := mk(map[string]string{realtime.TagProject: testProject, realtime.TagOwner: owner.ID, realtime.TagCreatedAt: old})
	young := mk(map[string]string{realtime.TagProject: testProject, realtime.TagOwner: "ghost", realtime.TagCreatedAt: fresh})
	foreign := mk(map[string]string{realtime.TagProject: "another", realtime.TagOwner: "ghost", realtime.TagCreatedAt: old})

	e.srv.InjectFault(ivslocal.Fault{Operation: "DeleteStage", Error: "InternalServerException", Count: 1})
	rep, err := e.svc.RunJanitor(ctx)
	if err == nil || rep.Deleted != 1 {
		t.Errorf("first pass: %+v, %v; want one deletion and one failure", rep, err)
	}
	rep, err = e.svc.RunJanitor(ctx)
	if err != nil || rep.Deleted != 1 {
		t.Errorf("second pass: %+v, %v; want the failed deletion retried", rep, err)
	}
	rep, err = e.svc.RunJanitor(ctx)
	if err != nil || rep != (realtime.JanitorReport{}) {
		t.Errorf("third pass: %+v, %v; want nothing to do", rep, err)
	}
	exists := func(arn string) bool {
		_, err := e.stages.GetStage(ctx, &ivsrealtime.GetStageInput{Arn: aws.String(arn)})
		return err == nil
	}
	got := map[string]bool{"ghost": exists(ghost), "dup": exists(dup), "young": exists(young), "foreign": exists(foreign), "owned": exists(owner.Channel.StageArn)}
	want := map[string]bool{"ghost": false, "dup": false, "young": true, "foreign": true, "owned": true}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("stages mismatch (-want +got):\n%s", diff)
	}
}

// An end whose disconnects failed is finished by the janitor.
func TestJanitorRetriesDisconnects(t *testing.T) {
	e := newEnv(t, "memstore")
	host := e.register("host0")
	guest := e.register("guest0")
	e.start(host)
	ctx := context.Background()
	inv, _ := e.svc.CreateInvite(ctx, host.ID, 0)
	tok, _ := e.svc.PublishToken(ctx, guest.ID, "host0", inv.Code)
	pid := e.join(host, tok)
	e.srv.InjectFault(ivslocal.Fault{Operation: "DisconnectParticipant", Error: "InternalServerException", Count: 10})
	if err := e.svc.EndSession(ctx, host.ID); ugc.KindOf(err) != ugc.ErrUnavailable {
		t.Fatalf("EndSession with failing disconnects: %v", err)
	}
	e.srv.ClearFaults()
	e.clock.Advance(time.Second)
	rep, err := e.svc.RunJanitor(ctx)
	if err != nil || rep.Disconnected != 1 {
		t.Fatalf("janitor: %+v, %v", rep, err)
	}
	out, err := e.stages.GetStage(ctx, &ivsrealtime.GetStageInput{Arn: aws.String(host.Channel.StageArn)})
	if err != nil {
		t.Fatal(err)
	}
	if s := aws.ToString(out.Stage.ActiveSessionId); s != "" {
		t.Errorf("stage still has session %s (participant %s)", s, pid)
	}
}

// A host whose Participant Left event is lost is still found gone: the
// janitor checks presence with IVS once the grace period has passed.
func TestJanitorLostLeaveEvent(t *testing.T) {
	e := newEnv(t, "memstore")
	host := e.register("host0")
	hs := e.start(host)
	ctx := context.Background()
	ps, _ := e.svc.Participants(ctx, host.ID)
	e.stopForward() // from here on, events are lost
	if err := e.srv.LeaveStage(ugc.ChannelID(host.Channel.StageArn), ps[0].ParticipantID); err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		advance time.Duration
		active  bool
	}{
		{time.Minute, true},     // within the grace period: not even checked
		{2 * time.Minute, true}, // checked: gone, the countdown starts
		{2 * time.Minute, true},
		{time.Minute, false},
	}
	for i, st := range steps {
		e.clock.Advance(st.advance)
		if _, err := e.svc.RunJanitor(ctx); err != nil {
			t.Fatal(err)
		}
		_, err := e.st.ActiveStageSession(ctx, host.ID)
		if got := err == nil; got != st.active {
			t.Errorf("step %d: active = %v, want %v (session %s)", i, got, st.active, hs.Session.ID)
		}
	}
}

// Notifications older than the retention are deleted by the janitor.
func TestJanitorNotificationRetention(t *testing.T) {
	e := newEnv(t, "sqlstore")
	host := e.register("host0")
	guest := e.register("guest0")
	e.start(host)
	ctx := context.Background()
	if _, err := e.svc.RequestJoin(ctx, guest.ID, "host0"); err != nil {
		t.Fatal(err)
	}
	count := func() int {
		ns, err := e.svc.Notifications(ctx, host.ID, 0)
		if err != nil {
			t.Fatal(err)
		}
		return len(ns)
	}
	e.clock.Advance(23 * time.Hour)
	if _, err := e.svc.RunJanitor(ctx); err != nil {
		t.Fatal(err)
	}
	if n := count(); n != 1 {
		t.Errorf("after 23 h: %d notifications, want 1", n)
	}
	e.clock.Advance(2 * time.Hour)
	if _, err := e.svc.RunJanitor(ctx); err != nil {
		t.Fatal(err)
	}
	if n := count(); n != 0 {
		t.Errorf("after 25 h: %d notifications, want 0", n)
	}
}
