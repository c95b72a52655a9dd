package main

import (
	"net/http"
	"testing"

	"github.com/ivs-ugc/ugc-go/ugc"
)

// TestOverlaysPollsAndStages drives the feature routes the app serves
// through httpapi: an overlay reaches the stream as timed metadata, a poll
// counts one vote per viewer, a stage session hands out tokens.
func TestOverlaysPollsAndStages(t *testing.T) {
	app := startApp(t, testConfig(t.TempDir()))
	c := newClient(t, app.URL())
	host := c.register("nina_n", "nina@example.com")
	viewer := c.register("omar_o", "omar@example.com")
	notice := map[string]any{"type": "notice", "data": map[string]any{"title": "Hi", "message": "Welcome in"}}

	if got := c.do("POST", "/v1/me/actions", host.Token, notice).Err(t); got.Status != http.StatusConflict || got.Code != "channel_offline" {
		t.Errorf("overlay while offline = %+v, want 409 channel_offline", got)
	}
	c.must(http.StatusCreated, "POST", "/_dev/channels/nina_n/stream/start", "", nil)
	c.must(http.StatusCreated, "POST", "/v1/me/actions", host.Token, notice)
	var active struct {
		Type string `json:"type"`
	}
	c.must(http.StatusOK, "GET", "/v1/channels/nina_n/actions/active", "", nil).JSON(t, &active)
	if active.Type != "notice" {
		t.Errorf("active overlay type = %q, want notice", active.Type)
	}
	var md struct {
		Payloads []string `json:"payloads"`
	}
	c.must(http.StatusOK, "GET", "/_dev/channels/nina_n/metadata", "", nil).JSON(t, &md)
	if len(md.Payloads) == 0 {
		t.Errorf("the channel received no timed metadata for the overlay")
	}

	var poll struct {
		ID string `json:"id"`
	}
	c.must(http.StatusCreated, "POST", "/v1/me/polls", host.Token,
		map[string]any{"question": "Best snack?", "options": []string{"chips", "fruit"}, "durationSeconds": 60}).JSON(t, &poll)
	votes := "/v1/channels/nina_n/polls/" + poll.ID + "/votes"
	c.must(http.StatusNoContent, "POST", votes, viewer.Token, map[string]int{"option": 1})
	if got := c.do("POST", votes, viewer.Token, map[string]int{"option": 0}).Err(t); got.Status != http.StatusConflict || got.Code != "already_voted" {
		t.Errorf("second vote = %+v, want 409 already_voted", got)
	}
	var tally struct {
		TotalVotes int64 `json:"totalVotes"`
		MyVote     *int  `json:"myVote"`
	}
	c.must(http.StatusOK, "GET", "/v1/channels/nina_n/polls/active", viewer.Token, nil).JSON(t, &tally)
	if tally.TotalVotes != 1 || tally.MyVote == nil || *tally.MyVote != 1 {
		t.Errorf("poll = %+v, want one vote, mine for option 1", tally)
	}

	var stage struct {
		StageArn string `json:"stageArn"`
		Token    string `json:"token"`
	}
	c.must(http.StatusOK, "POST", "/v1/me/stage/session", host.Token, nil).JSON(t, &stage)
	if stage.Token == "" || stage.StageArn == "" {
		t.Errorf("stage session = %+v, want a host token", stage)
	}
	c.must(http.StatusOK, "POST", "/v1/channels/nina_n/stage/spectator-token", "", nil)
	c.must(http.StatusNoContent, "DELETE", "/v1/me/stage/session", host.Token, nil)
	if got := c.do("POST", "/v1/channels/nina_n/stage/spectator-token", "", nil).Err(t); got.Status != http.StatusConflict || got.Code != "stage_offline" {
		t.Errorf("spectator token after the session = %+v, want 409 stage_offline", got)
	}
}

// TestBanDropsFromStage checks the chat OnBan wiring: a viewer banned from
// a channel's chat is disconnected from its live stage.
func TestBanDropsFromStage(t *testing.T) {
	app := startApp(t, testConfig(t.TempDir()))
	c := newClient(t, app.URL())
	host := c.register("rosa_r", "rosa@example.com")
	viewer := c.register("sam_s", "sam@example.com")

	var stage struct {
		StageArn string `json:"stageArn"`
	}
	c.must(http.StatusOK, "POST", "/v1/me/stage/session", host.Token, nil).JSON(t, &stage)
	var tok struct {
		Token string `json:"token"`
	}
	c.must(http.StatusOK, "POST", "/v1/channels/rosa_r/stage/spectator-token", viewer.Token, nil).JSON(t, &tok)
	pid, err := app.emulator.JoinStage(ugc.ChannelID(stage.StageArn), tok.Token)
	if err != nil {
		t.Fatalf("JoinStage: %v", err)
	}
	// state returns the viewer participant's state on the host's stage.
	state := func() string {
		t.Helper()
		var ps struct {
			Participants []struct {
				ParticipantID string `json:"participantId"`
				State         string `json:"state"`
			} `json:"participants"`
		}
		c.must(http.StatusOK, "GET", "/v1/me/stage/participants", host.Token, nil).JSON(t, &ps)
		for _, p := range ps.Participants {
			if p.ParticipantID == pid {
				return p.State
			}
		}
		return "absent"
	}
	if got := state(); got != "CONNECTED" {
		t.Fatalf("viewer on the stage before the ban: %s, want CONNECTED", got)
	}
	c.must(http.StatusNoContent, "PUT", "/v1/me/chat/bans/sam_s", host.Token, map[string]string{"reason": "spam"})
	if got := state(); got == "CONNECTED" {
		t.Errorf("viewer still connected to the stage after the ban")
	}
}
