package main

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivs"
	"github.com/aws/aws-sdk-go-v2/service/ivschat"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"

	"github.com/ivs-ugc/ugc-go/ugc/actions"
	"github.com/ivs-ugc/ugc-go/ugc/realtime"
)

// StageJanitorInterval is how often the realtime janitor ends abandoned
// stage sessions and deletes ownerless stages.
const StageJanitorInterval = time.Minute

// PollSweepInterval is how often the app sends the poll:end events that
// the replica which started a poll did not (it stopped or died first).
const PollSweepInterval = 5 * time.Second

// inviteKeyFile holds the key that signs stage invites, so invites survive
// a restart.
const inviteKeyFile = "invite.key"

// newActions makes the overlays-and-polls service and has it told of
// stream events (its rules fire on them).
func (a *App) newActions(awsCfg aws.Config) (*actions.Service, error) {
	svc, err := actions.New(actions.Options{
		Store:  a.store,
		IVS:    ivs.NewFromConfig(awsCfg),
		Chat:   ivschat.NewFromConfig(awsCfg),
		Logger: a.log,
	})
	if err != nil {
		return nil, err
	}
	a.metrics.SetListener(svc)
	return svc, nil
}

// newRealtime makes the stage service and has it handle IVS Stage Update
// events.
func (a *App) newRealtime(awsCfg aws.Config) (*realtime.Service, error) {
	key, err := a.inviteKey()
	if err != nil {
		return nil, fmt.Errorf("invite key: %w", err)
	}
	svc, err := realtime.New(realtime.Options{
		Store:      a.store,
		Stages:     ivsrealtime.NewFromConfig(awsCfg),
		InviteKey:  key,
		ProjectTag: ProjectTag,
		AvatarURL:  a.channels.AvatarURL,
		Logger:     a.log,
	})
	if err != nil {
		return nil, err
	}
	a.metrics.SetStageHandler(svc)
	return svc, nil
}

// inviteKey returns -invite-key (hex) when set, which every replica must
// share; else a key kept in the data directory, made on first use.
func (a *App) inviteKey() ([]byte, error) {
	if a.cfg.InviteKey != "" {
		k, err := hex.DecodeString(a.cfg.InviteKey)
		if err != nil || len(k) < 32 {
			return nil, errors.New("-invite-key must be at least 32 bytes in hex (64 hex digits)")
		}
		return k, nil
	}
	path := filepath.Join(a.cfg.DataDir, inviteKeyFile)
	k, err := os.ReadFile(path)
	if err == nil && len(k) >= 32 {
		return k, nil
	}
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	k = make([]byte, 32)
	if _, err := io.ReadFull(rand.Reader, k); err != nil {
		return nil, err
	}
	return k, os.WriteFile(path, k, 0o600)
}
