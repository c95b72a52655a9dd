package chat_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/chat"
)

func TestNewOptions(t *testing.T) {
	e := newEnv(t)
	base := chat.Options{Store: e.store, Chat: e.chat, Endpoint: "wss://x"}
	tests := []struct {
		name    string
		fn      func(*chat.Options)
		wantErr string // field named, "" for success
	}{
		{"valid", func(*chat.Options) {}, ""},
		{"no store", func(o *chat.Options) { o.Store = nil }, "Store"},
		{"no chat", func(o *chat.Options) { o.Chat = nil }, "Chat"},
		{"no endpoint", func(o *chat.Options) { o.Endpoint = "" }, "Endpoint"},
		{"session 180m", func(o *chat.Options) { o.SessionDuration = 180 * time.Minute }, ""},
		{"session 1m", func(o *chat.Options) { o.SessionDuration = time.Minute }, ""},
		{"session 181m", func(o *chat.Options) { o.SessionDuration = 181 * time.Minute }, "SessionDuration"},
		{"session 90s", func(o *chat.Options) { o.SessionDuration = 90 * time.Second }, "SessionDuration"},
		{"session negative", func(o *chat.Options) { o.SessionDuration = -time.Minute }, "SessionDuration"},
		{"review uri not an ARN", func(o *chat.Options) { o.ReviewHandlerURI = "http://x" }, "ReviewHandlerURI"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := chat.New(base, tt.fn)
			if got := ugc.FieldOf(err); got != tt.wantErr || (tt.wantErr == "") != (err == nil) {
				t.Errorf("New: error %v (field %q), want field %q", err, got, tt.wantErr)
			}
		})
	}
}

// TestToken mints a token for every role and connects with it: the
// capabilities, user ID and attributes are what the role gets, and the
// emulator enforces them (a view-only token cannot send).
func TestToken(t *testing.T) {
	e := newEnv(t, func(o *chat.Options) {
		o.NewAnonymousID = func() string { return "anon-fixed" }
		o.SessionDuration = 30 * time.Minute
	})
	owner := e.register("owner1")
	viewer := e.register("viewer1")
	mod := e.register("mod1")
	banned := e.register("banned1")
	if err := e.svc.AddModerator(ctx, owner.ID, "mod1"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Ban(ctx, owner.ID, owner.ID, chat.BanInput{Username: "banned1", Reason: "spam"}); err != nil {
		t.Fatal(err)
	}
	all := []string{chat.CapSendMessage, chat.CapDeleteMessage, chat.CapDisconnectUser}
	attrs := func(u *ugc.User) map[string]string {
		return map[string]string{"displayName": u.Username, "color": u.Color, "avatar": u.Avatar, "userId": u.ID}
	}
	type result struct {
		Role         string
		UserID       string
		Capabilities []string
		Attributes   map[string]string
		Err          string
	}
	tests := []struct {
		name    string
		channel string
		viewer  string
		want    result
	}{
		{"anonymous", "owner1", "", result{"anonymous", "anon-fixed", []string{}, nil, ""}},
		{"viewer", "owner1", viewer.ID, result{"viewer", viewer.ID, []string{chat.CapSendMessage}, attrs(viewer), ""}},
		{"moderator", "owner1", mod.ID, result{"moderator", mod.ID, all, attrs(mod), ""}},
		{"owner", "OWNER1", owner.ID, result{"owner", owner.ID, all, attrs(owner), ""}},
		{"banned", "owner1", banned.ID, result{Err: "banned"}},
		{"banned viewer elsewhere", "viewer1", banned.ID, result{"viewer", banned.ID, []string{chat.CapSendMessage}, attrs(banned), ""}},
		{"unknown channel", "nobody", viewer.ID, result{Err: "user_not_found"}},
		{"deleted viewer", "owner1", "no-such-user", result{Err: "unauthenticated"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tok, err := e.svc.Token(ctx, tt.channel, tt.viewer)
			var got result
			if err != nil {
				got.Err = errCode(err)
			} else {
				got = result{tok.Role.String(), tok.UserID, tok.Capabilities, tok.Attributes, ""}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Fatalf("Token mismatch (-want +got):\n%s", diff)
			}
			if err != nil {
				return
			}
			if tok.Endpoint != e.ivs.ChatEndpoint() {
				t.Errorf("Endpoint = %q, want %q", tok.Endpoint, e.ivs.ChatEndpoint())
			}
			if d := tok.SessionExpirationTime.Sub(tok.TokenExpirationTime); d < 28*time.Minute || d > 30*time.Minute {
				t.Errorf("session ends %v after the token expires, want about 29 minutes (a 30-minute session)", d)
			}
			if s := tok.Token.String(); s != "REDACTED" {
				t.Errorf("Token.String() = %q, want REDACTED", s)
			}
			// The token works, and the emulator applies its capabilities.
			c := dial(t, tok)
			c.send("hello")
			f := c.next()
			if len(tok.Capabilities) == 0 {
				if f.Type != "ERROR" || f.ErrorCode != 403 {
					t.Errorf("view-only send: got %+v, want ERROR 403", f)
				}
				return
			}
			if f.Type != "MESSAGE" || f.Content != "hello" || f.Sender.UserID != tok.UserID {
				t.Errorf("send: got %+v, want the MESSAGE from %s", f, tok.UserID)
			}
			if diff := cmp.Diff(tok.Attributes, f.Sender.Attributes); diff != "" {
				t.Errorf("sender attributes mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestAttributesLimit: long avatar URLs are dropped so the attributes stay
// within IVS's 1 KB, and IVS accepts the token.
func TestAttributesLimit(t *testing.T) {
	tests := []struct {
		name     string
		urlLen   int
		wantKeys []string
	}{
		{"short url kept", 100, []string{"avatar", "avatarUrl", "color", "displayName", "userId"}},
		{"long url dropped", 2000, []string{"avatar", "color", "displayName", "userId"}},
		{"url just over the limit dropped", 1024 - 60, []string{"avatar", "color", "displayName", "userId"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			url := "https://cdn.example.com/" + strings.Repeat("a", tt.urlLen)
			e := newEnv(t, func(o *chat.Options) { o.AvatarURL = func(*ugc.User) string { return url } })
			e.register("owner1")
			viewer := e.register("viewer1")
			tok := e.token("owner1", viewer.ID)
			c := dial(t, tok) // IVS accepted the attributes; the sender sees them
			c.send("hi")
			if f := c.next(); cmp.Diff(tok.Attributes, f.Sender.Attributes) != "" {
				t.Errorf("sender attributes %v, want %v", f.Sender.Attributes, tok.Attributes)
			}
			var keys []string
			size := 0
			for k, v := range tok.Attributes {
				keys = append(keys, k)
				size += len(k) + len(v)
			}
			if diff := cmp.Diff(tt.wantKeys, keys, cmpSorted); diff != "" {
				t.Errorf("attribute keys mismatch (-want +got):\n%s", diff)
			}
			if size > chat.MaxAttributesBytes {
				t.Errorf("attributes are %d bytes, over %d", size, chat.MaxAttributesBytes)
			}
		})
	}
	t.Run("display name trimmed when nothing else can go", func(t *testing.T) {
		e := newEnv(t)
		u := &ugc.User{ID: strings.Repeat("i", 100), Username: strings.Repeat("é", 600), Color: "blue"}
		a := e.svc.Attributes(u)
		size := 0
		for k, v := range a {
			size += len(k) + len(v)
		}
		if size > chat.MaxAttributesBytes || a["userId"] != u.ID || !strings.HasPrefix(u.Username, a["displayName"]) || a["displayName"] == "" {
			t.Errorf("Attributes = %d bytes, userId %q, displayName %d bytes", size, a["userId"], len(a["displayName"]))
		}
	})
}

func TestChatUserID(t *testing.T) {
	long := strings.Repeat("x", 200)
	tests := []struct {
		in      string
		wantLen int
		same    bool
	}{
		{"abc", 3, true},
		{strings.Repeat("y", 128), 128, true},
		{long, 66, false},
	}
	for _, tt := range tests {
		got := chat.ChatUserID(tt.in)
		if len(got) != tt.wantLen || (got == tt.in) != tt.same {
			t.Errorf("ChatUserID(%d bytes) = %q", len(tt.in), got)
		}
		if chat.ChatUserID(tt.in) != got {
			t.Errorf("ChatUserID is not deterministic")
		}
	}
}
