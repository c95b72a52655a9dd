package channels

import (
	"context"
	"errors"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ivstypes "github.com/aws/aws-sdk-go-v2/service/ivs/types"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/store"
)

// orphan is a project resource the reconciler may delete.
type orphan struct {
	arn, owner string
	created    time.Time
	kind       string // "channel" | "room" | "stage"
}

// ReconcileOrphans deletes the AWS resources tagged with the project that
// no user owns: their owner no longer exists, or exists but uses another
// resource (a duplicate of an interrupted run). Resources made less than
// grace ago are left alone, since their provisioning may still be running.
// It also removes provisioning jobs older than grace whose user was never
// stored, unless a run still holds their lease (Options.JobLease).
// deleted counts the resources deleted.
func (s *Service) ReconcileOrphans(ctx context.Context, grace time.Duration) (deleted int, err error) {
	defer ugc.Wrap(&err, "channels.ReconcileOrphans")
	cutoff := s.now().Add(-grace)
	var found []orphan
	add := func(kind, arn string, tags map[string]string) {
		if tags[TagProject] != s.opts.ProjectTag || tags[TagOwner] == "" {
			return
		}
		created, _ := time.Parse(time.RFC3339, tags[TagCreatedAt]) // zero (old) when missing
		if created.After(cutoff) {
			return
		}
		found = append(found, orphan{arn: arn, owner: tags[TagOwner], created: created, kind: kind})
	}
	if err := s.eachStage(ctx, func(arn string, tags map[string]string) { add("stage", arn, tags) }); err != nil {
		return 0, err
	}
	if err := s.eachRoom(ctx, "", func(arn string, tags map[string]string) { add("room", arn, tags) }); err != nil {
		return 0, err
	}
	if err := s.eachChannel(ctx, "", func(c ivstypes.ChannelSummary) { add("channel", aws.ToString(c.Arn), c.Tags) }); err != nil {
		return 0, err
	}

	owners := map[string]*ugc.User{} // nil: no such user
	var errs []error
	for _, o := range found {
		u, seen := owners[o.owner]
		if !seen {
			got, err := s.store.GetUser(ctx, o.owner)
			switch {
			case err == nil:
				u = got
			case !isNotFound(err):
				errs = append(errs, err)
				continue
			}
			owners[o.owner] = u
		}
		if u != nil && (o.arn == u.Channel.Arn || o.arn == u.Channel.ChatRoomArn || o.arn == u.Channel.StageArn) {
			continue
		}
		var err error
		switch o.kind {
		case "stage":
			err = s.deleteStage(ctx, o.arn)
		case "room":
			err = s.deleteRoom(ctx, o.arn)
		default:
			err = s.deleteChannel(ctx, o.arn)
		}
		if err != nil {
			errs = append(errs, err)
			continue
		}
		s.log.InfoContext(ctx, "channels: deleted orphan resource", "arn", o.arn, "owner", o.owner)
		deleted++
	}

	// Stale provisioning jobs.
	cursor := ""
	for {
		jobs, next, err := s.store.ListJobs(ctx, JobProvision, cutoff, store.Page{Limit: store.MaxPageLimit, Cursor: cursor})
		if err != nil {
			errs = append(errs, err)
			break
		}
		for _, j := range jobs {
			if s.leased(j) {
				continue // its run is alive (a grace shorter than the lease)
			}
			// Its resources, made before it was last updated, are gone by
			// now (above); a finished job is merely left over.
			if err := s.store.DeleteJob(ctx, JobProvision, j.ID); err != nil {
				errs = append(errs, err)
			}
		}
		if next == "" {
			break
		}
		cursor = next
	}
	return deleted, errors.Join(errs...)
}
