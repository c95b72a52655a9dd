package channels

import (
	"context"
	"errors"
	"hash/fnv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivs"
	ivstypes "github.com/aws/aws-sdk-go-v2/service/ivs/types"
	"github.com/aws/aws-sdk-go-v2/service/ivschat"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"

	"github.com/ivs-ugc/ugc-go/internal/awserr"
	"github.com/ivs-ugc/ugc-go/ugc"
)

// Job kinds the service stores.
const (
	JobProvision = "provision" // keyed by normalized username
	JobDelete    = "delete"    // keyed by user ID
)

// Keys of a provisioning job's Data.
const (
	dataUserID     = "userId"
	dataUsername   = "username"
	dataEmail      = "email"
	dataChannelArn = "channelArn"
	dataRoomArn    = "roomArn"
	dataStageArn   = "stageArn"
)

// RegisterInput is what a new user gives.
type RegisterInput struct {
	Username string
	Email    string
	// UserID, when set, is the new user's ID instead of a random one: 1 to
	// 64 characters of [A-Za-z0-9_-]. An app that maps an external
	// identity to its users derives it from that identity (e.g. a hash of
	// an identity provider's subject), so the mapping survives renames.
	// An ID already in use is ErrAlreadyExists with code "user_exists".
	UserID string
	// Color and Avatar are optional; when empty they are picked from the
	// palette and the stock avatars by the user ID.
	Color  string
	Avatar string
}

// Register validates in, provisions the user's channel (with its stream
// key), chat room and stage, then stores the user, last.
//
// Provisioning is a saga recorded in a store Job (kind "provision", keyed
// by the normalized username): each resource is tagged with the project
// and the owner's user ID and recorded as soon as it is made. When a step
// fails, what was made is deleted and the error (ErrUnavailable for an AWS
// outage) returned; if that cleanup fails too, the job stays, and a retry
// of the same registration resumes it, adopting the resources found by
// tag instead of making new ones. A taken username or email is
// ErrAlreadyExists naming the field.
//
// One run at a time owns the job, under a lease (Options.JobLease) renewed
// at every step: while another run of the same username holds a live
// lease, Register returns ErrAlreadyExists naming "username" with code
// "registration_in_progress". A job whose lease expired (its run crashed)
// is taken over and resumed; a run that finds its job taken over stops
// without deleting anything and returns the user if the new owner stored
// it, else the same registration_in_progress error.
func (s *Service) Register(ctx context.Context, in RegisterInput) (_ *ugc.User, err error) {
	defer ugc.Wrap(&err, "channels.Register")
	if err := ugc.ValidateUsername(in.Username); err != nil {
		return nil, err
	}
	if err := ugc.ValidateEmail(in.Email, s.opts.SignupDomains); err != nil {
		return nil, err
	}
	if in.Color != "" {
		if err := ugc.ValidateColor(in.Color); err != nil {
			return nil, err
		}
	}
	if in.Avatar != "" {
		if err := ugc.ValidateAvatar(in.Avatar); err != nil {
			return nil, err
		}
		if in.Avatar == ugc.AvatarCustom {
			return nil, ugc.InvalidField("avatar", "upload an image before choosing %q", ugc.AvatarCustom)
		}
	}
	if in.UserID != "" && !validUserID(in.UserID) {
		return nil, ugc.InvalidField("userId", "must be 1 to 64 characters of A-Z, a-z, 0-9, _ and -")
	}
	email := ugc.NormalizeEmail(in.Email)
	key := ugc.NormalizeUsername(in.Username)

	job, err := s.store.GetJob(ctx, JobProvision, key)
	switch {
	case isNotFound(err):
		job = nil
	case err != nil:
		return nil, err
	}
	if u, err := s.store.GetUserByUsername(ctx, in.Username); err == nil {
		// A previous attempt may have stored the user and crashed before
		// removing its job: the same registration then succeeds again.
		if job != nil && job.Data[dataUserID] == u.ID {
			if err := s.store.DeleteJob(ctx, JobProvision, key); err != nil {
				s.log.WarnContext(ctx, "channels: cannot delete finished provisioning job", "username", key, "err", err)
			}
			if u.Email == email {
				return u, nil
			}
		}
		return nil, &ugc.Error{Kind: ugc.ErrAlreadyExists, Field: "username", Code: "username_taken", Message: "is taken"}
	} else if !isNotFound(err) {
		return nil, err
	}
	if _, err := s.store.GetUserByEmail(ctx, email); err == nil {
		return nil, &ugc.Error{Kind: ugc.ErrAlreadyExists, Field: "email", Code: "email_taken", Message: "is already registered"}
	} else if !isNotFound(err) {
		return nil, err
	}
	if in.UserID != "" {
		if _, err := s.store.GetUser(ctx, in.UserID); err == nil {
			return nil, &ugc.Error{Kind: ugc.ErrAlreadyExists, Field: "userId", Code: "user_exists", Message: "is in use"}
		} else if !isNotFound(err) {
			return nil, err
		}
	}

	now := s.now()
	fresh := func() (*ugc.Job, error) {
		id := in.UserID
		if id == "" {
			id = s.opts.NewID()
		}
		return &ugc.Job{Kind: JobProvision, ID: key, Step: "start", Data: map[string]string{
			dataUserID: id, dataUsername: in.Username, dataEmail: email,
		}, CreatedAt: now}, nil
	}
	prepare := func(j *ugc.Job) error {
		if j.Data[dataUserID] == "" {
			return ugc.Errorf(ugc.ErrFailedPrecondition, "provisioning job of %q has no user ID", key)
		}
		if in.UserID != "" && j.Data[dataUserID] != in.UserID {
			// An interrupted registration of the name for another ID.
			return registrationInProgress(nil)
		}
		j.Data[dataEmail] = email
		return nil
	}
	job, resumed, err := s.claim(ctx, JobProvision, key, fresh, prepare)
	if err != nil {
		if errors.Is(err, errJobBusy) {
			return nil, registrationInProgress(err)
		}
		return nil, err
	}

	p := &provisioning{s: s, job: job, resumed: resumed}
	u, err := p.run(ctx, in, email)
	if err == nil {
		if derr := s.store.DeleteJob(ctx, JobProvision, key); derr != nil {
			s.log.WarnContext(ctx, "channels: cannot delete finished provisioning job", "username", key, "err", derr)
		}
		return u, nil
	}
	if errors.Is(err, errLeaseLost) {
		// Another run took the job over (this one was presumed dead) and
		// owns the resources now: undo nothing. It may have finished.
		if u, gerr := s.store.GetUser(ctx, job.Data[dataUserID]); gerr == nil && u.Email == email &&
			ugc.NormalizeUsername(u.Username) == key {
			return u, nil
		}
		return nil, registrationInProgress(err)
	}
	// Compensate even when ctx is done: leaving resources behind is worse.
	if cerr := p.compensate(context.WithoutCancel(ctx)); cerr != nil {
		s.log.ErrorContext(ctx, "channels: provisioning cleanup failed; a retry or ReconcileOrphans will finish it",
			"username", key, "userId", job.Data[dataUserID], "err", cerr)
	}
	return nil, err
}

// validUserID reports whether id may be chosen as a user ID: it becomes
// part of AWS resource names and tags.
func validUserID(id string) bool {
	if len(id) == 0 || len(id) > 64 {
		return false
	}
	for _, c := range id {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// registrationInProgress is the error of a registration whose username
// another run of Register is provisioning.
func registrationInProgress(cause error) error {
	return &ugc.Error{Kind: ugc.ErrAlreadyExists, Field: "username", Code: "registration_in_progress",
		Message: "is being registered; try again shortly", Err: cause}
}

// provisioning is one run of the provisioning saga.
type provisioning struct {
	s       *Service
	job     *ugc.Job
	resumed bool // the job existed: resources may exist already
	ch      ugc.Channel
	created []made   // resources this run made, in order
	adopted []string // resources of an earlier run this run found and uses
}

// made is a resource a run made.
type made struct{ kind, arn string }

func (p *provisioning) userID() string { return p.job.Data[dataUserID] }

// record stores the job with an ARN made (or found) so far.
func (p *provisioning) record(ctx context.Context, step, dataKey, arn string) error {
	p.job.Step = step
	p.job.Data[dataKey] = arn
	return p.s.writeJob(ctx, p.job, false)
}

func (p *provisioning) run(ctx context.Context, in RegisterInput, email string) (*ugc.User, error) {
	s := p.s
	if err := p.ensureChannel(ctx); err != nil {
		return nil, err
	}
	if err := p.ensureRoom(ctx); err != nil {
		return nil, err
	}
	if err := p.ensureStage(ctx); err != nil {
		return nil, err
	}
	id := p.userID()
	now := s.now()
	u := &ugc.User{
		ID: id, Username: in.Username, Email: email,
		Color: in.Color, Avatar: in.Avatar,
		Channel:   p.ch,
		CreatedAt: now, UpdatedAt: now,
	}
	if u.Color == "" {
		u.Color = ugc.Colors[pick(id, len(ugc.Colors))]
	}
	if u.Avatar == "" {
		u.Avatar = ugc.StockAvatars[pick(id+"/avatar", len(ugc.StockAvatars))]
	}
	if err := s.store.CreateUser(ctx, u); err != nil {
		if errors.Is(err, ugc.ErrAlreadyExists) {
			// A concurrent run of the same registration may have won.
			if got, gerr := s.store.GetUser(ctx, id); gerr == nil && got.Email == email &&
				ugc.NormalizeUsername(got.Username) == p.job.ID {
				// Drop what this run made besides the winner's resources.
				if cerr := p.dropUnused(context.WithoutCancel(ctx), got); cerr != nil {
					s.log.WarnContext(ctx, "channels: cannot delete duplicate resources", "userId", id, "err", cerr)
				}
				return got, nil
			}
		}
		return nil, err
	}
	return u, nil
}

// pick returns a stable index in [0, n) for s.
func pick(s string, n int) int {
	h := fnv.New32a()
	h.Write([]byte(s))
	return int(h.Sum32() % uint32(n))
}

// resourceName returns a name IVS accepts ([a-zA-Z0-9-_], ≤ 128) that is
// unique to the user: the cleaned username, the cleaned user ID and kind.
func (p *provisioning) resourceName(kind string) string {
	name := clean(p.job.Data[dataUsername]) + "-" + clean(p.userID()) + "-" + kind
	if len(name) > 128 {
		name = name[len(name)-128:]
	}
	return name
}

func clean(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
			return r
		}
		return -1
	}, s)
}

func (p *provisioning) ensureChannel(ctx context.Context) error {
	s := p.s
	if p.resumed {
		arns, err := s.ownedChannels(ctx, p.userID(), p.resourceName("channel"))
		if err != nil {
			return err
		}
		if len(arns) > 0 {
			p.adopted = append(p.adopted, arns[0])
			if err := p.record(ctx, "channel", dataChannelArn, arns[0]); err != nil {
				return err
			}
			return p.adoptChannel(ctx, arns[0])
		}
	}
	in := s.channelConfigInput(false)
	out, err := s.opts.IVS.CreateChannel(ctx, &ivs.CreateChannelInput{
		Name:                         aws.String(p.resourceName("channel")),
		Type:                         in.Type,
		LatencyMode:                  in.LatencyMode,
		Preset:                       in.Preset,
		ContainerFormat:              in.ContainerFormat,
		MultitrackInputConfiguration: in.MultitrackInputConfiguration,
		Tags:                         s.tags(p.userID()),
	})
	if err != nil {
		return awserr.Map(err)
	}
	if out.Channel == nil || out.StreamKey == nil {
		return ugc.Errorf(ugc.ErrUnavailable, "CreateChannel returned no channel or stream key")
	}
	p.fillChannel(out.Channel)
	p.ch.StreamKeyArn = aws.ToString(out.StreamKey.Arn)
	p.ch.StreamKey = ugc.StreamKey(aws.ToString(out.StreamKey.Value))
	p.created = append(p.created, made{"channel", p.ch.Arn})
	return p.record(ctx, "channel", dataChannelArn, p.ch.Arn)
}

func (p *provisioning) fillChannel(c *ivstypes.Channel) {
	arn := aws.ToString(c.Arn)
	tid := strings.ToLower(ugc.ChannelID(arn))
	if code := p.s.opts.ProductLinkRegionCode; code != "" {
		tid += "-" + code
	}
	p.ch.Arn = arn
	p.ch.IngestEndpoint = aws.ToString(c.IngestEndpoint)
	p.ch.PlaybackURL = aws.ToString(c.PlaybackUrl)
	p.ch.Type = string(c.Type)
	p.ch.LatencyMode = string(c.LatencyMode)
	p.ch.TrackingID = tid
}

// adoptChannel reads an existing channel and makes sure it has exactly
// one stream key, whose value it reads.
func (p *provisioning) adoptChannel(ctx context.Context, arn string) error {
	ivsc := p.s.opts.IVS
	out, err := ivsc.GetChannel(ctx, &ivs.GetChannelInput{Arn: aws.String(arn)})
	if err != nil {
		return awserr.Map(err)
	}
	p.fillChannel(out.Channel)
	k, err := p.s.ensureOneKey(ctx, arn, false)
	if err != nil {
		return err
	}
	p.ch.StreamKeyArn, p.ch.StreamKey = k.arn, k.value
	return nil
}

func (p *provisioning) ensureRoom(ctx context.Context) error {
	s := p.s
	if p.resumed {
		arns, err := s.ownedRooms(ctx, p.userID(), p.resourceName("room"))
		if err != nil {
			return err
		}
		if len(arns) > 0 {
			p.adopted = append(p.adopted, arns[0])
			p.ch.ChatRoomArn = arns[0]
			return p.record(ctx, "room", dataRoomArn, arns[0])
		}
	}
	out, err := s.opts.Chat.CreateRoom(ctx, &ivschat.CreateRoomInput{
		Name: aws.String(p.resourceName("room")),
		Tags: s.tags(p.userID()),
	})
	if err != nil {
		return awserr.Map(err)
	}
	p.ch.ChatRoomArn = aws.ToString(out.Arn)
	p.created = append(p.created, made{"room", p.ch.ChatRoomArn})
	return p.record(ctx, "room", dataRoomArn, p.ch.ChatRoomArn)
}

func (p *provisioning) ensureStage(ctx context.Context) error {
	s := p.s
	if p.resumed {
		arns, err := s.ownedStages(ctx, p.userID())
		if err != nil {
			return err
		}
		if len(arns) > 0 {
			p.adopted = append(p.adopted, arns[0])
			p.ch.StageArn = arns[0]
			return p.record(ctx, "stage", dataStageArn, arns[0])
		}
	}
	out, err := s.opts.Stages.CreateStage(ctx, &ivsrealtime.CreateStageInput{
		Name: aws.String(p.resourceName("stage")),
		Tags: s.tags(p.userID()),
	})
	if err != nil {
		return awserr.Map(err)
	}
	if out.Stage == nil {
		return ugc.Errorf(ugc.ErrUnavailable, "CreateStage returned no stage")
	}
	p.ch.StageArn = aws.ToString(out.Stage.Arn)
	p.created = append(p.created, made{"stage", p.ch.StageArn})
	return p.record(ctx, "stage", dataStageArn, p.ch.StageArn)
}

// deleteMade deletes a resource this run made.
func (p *provisioning) deleteMade(ctx context.Context, m made) error {
	switch m.kind {
	case "stage":
		return p.s.deleteStage(ctx, m.arn)
	case "room":
		return p.s.deleteRoom(ctx, m.arn)
	default:
		return p.s.deleteChannel(ctx, m.arn)
	}
}

// dropUnused deletes the resources this run made that u, the stored user
// of this registration, does not use. They are this run's own and nobody
// else's, so it needs no job: another run that took the job over stored u
// with what it adopted or made.
func (p *provisioning) dropUnused(ctx context.Context, u *ugc.User) error {
	var errs []error
	for i := len(p.created) - 1; i >= 0; i-- {
		m := p.created[i]
		if m.arn == u.Channel.Arn || m.arn == u.Channel.ChatRoomArn || m.arn == u.Channel.StageArn {
			continue
		}
		errs = append(errs, p.deleteMade(ctx, m))
	}
	return errors.Join(errs...)
}

// compensate deletes the resources this run made that no stored user
// refers to, newest first. Resources of an earlier run (adopted, or not
// reached before the failure) are left alone: the job stays for a retry,
// which adopts them, and ReconcileOrphans deletes them once they are older
// than its grace period. When a delete fails, the job keeps the ARN as well.
//
// Before each delete it renews the job's lease, so it deletes only while
// this run still owns the job: when another run has taken the job over
// (this one was too slow and presumed dead), that run may have adopted the
// resources, and compensate stops with errLeaseLost, deleting nothing more.
// A job that stays is released (no lease), so a retry resumes it at once.
func (p *provisioning) compensate(ctx context.Context) error {
	s := p.s
	keep := map[string]bool{}
	stored := false
	if u, err := s.store.GetUser(ctx, p.userID()); err == nil {
		stored = true
		keep[u.Channel.Arn], keep[u.Channel.ChatRoomArn], keep[u.Channel.StageArn] = true, true, true
	} else if !isNotFound(err) {
		return err
	}
	dataKey := map[string]string{"channel": dataChannelArn, "room": dataRoomArn, "stage": dataStageArn}
	var errs []error
	var failed []made
	for i := len(p.created) - 1; i >= 0; i-- {
		m := p.created[i]
		if keep[m.arn] {
			continue
		}
		if err := s.writeJob(ctx, p.job, false); err != nil {
			return errors.Join(append(errs, err)...)
		}
		if err := p.deleteMade(ctx, m); err != nil {
			errs = append(errs, err)
			failed = append(failed, m)
		}
	}
	// The job goes when the user was stored (by a concurrent run) or when
	// this run started afresh and deleted all it made. A resumed run keeps
	// it: an earlier run may have made resources this one did not reach.
	if stored || !p.resumed && len(errs) == 0 {
		return errors.Join(append(errs, s.store.DeleteJob(ctx, JobProvision, p.job.ID))...)
	}
	for _, k := range dataKey {
		delete(p.job.Data, k)
	}
	for _, arn := range p.adopted {
		// Keep what an earlier run made on record for the next retry.
		for kind, k := range dataKey {
			if strings.Contains(arn, ":"+kind+"/") {
				p.job.Data[k] = arn
			}
		}
	}
	for _, m := range failed {
		p.job.Data[dataKey[m.kind]] = m.arn
	}
	p.job.Step = "failed"
	if err := s.writeJob(ctx, p.job, true); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}
