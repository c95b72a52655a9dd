package channels

import (
	"context"
	"errors"
	"time"

	"github.com/ivs-ugc/ugc-go/ugc"
)

// dataLeaseUntil is the Data key of a job's lease expiry (RFC 3339, UTC):
// until then the run that last wrote the job owns it. A job without it
// (released, or written before leases existed) is owned by no run.
const dataLeaseUntil = "leaseUntil"

// errJobBusy means another run owns the job: its lease is live.
var errJobBusy = errors.New("channels: another run owns the job")

// errLeaseLost means another run wrote the job since this run last did (it
// took an expired lease over, or finished and removed the job): this run no
// longer owns the job and must stop without undoing anything.
var errLeaseLost = errors.New("channels: the job was taken over by another run")

// leased reports whether j is owned by a run whose lease is live at now.
func (s *Service) leased(j *ugc.Job) bool {
	until, err := time.Parse(time.RFC3339Nano, j.Data[dataLeaseUntil])
	return err == nil && s.now().Before(until)
}

// stamp sets j's UpdatedAt to now and its lease to now + Options.JobLease
// (or removes the lease when release is true).
func (s *Service) stamp(j *ugc.Job, release bool) {
	now := s.now()
	j.UpdatedAt = now
	if j.Data == nil {
		j.Data = map[string]string{}
	}
	if release {
		delete(j.Data, dataLeaseUntil)
		return
	}
	j.Data[dataLeaseUntil] = now.Add(s.opts.JobLease).Format(time.RFC3339Nano)
}

// writeJob stores j, which this run owns, with a renewed lease (or none,
// when release is true) through a compare-and-set on the UpdatedAt this
// run last wrote. When another run wrote the job since, or removed it, it
// returns errLeaseLost and leaves j as it was.
func (s *Service) writeJob(ctx context.Context, j *ugc.Job, release bool) error {
	prev, prevLease := j.UpdatedAt, j.Data[dataLeaseUntil]
	s.stamp(j, release)
	err := s.store.UpdateJob(ctx, j, prev)
	if err == nil {
		return nil
	}
	j.UpdatedAt = prev
	if prevLease == "" {
		delete(j.Data, dataLeaseUntil)
	} else {
		j.Data[dataLeaseUntil] = prevLease
	}
	if isNotFound(err) || errors.Is(err, ugc.ErrFailedPrecondition) && ugc.CodeOf(err) == "job_changed" {
		return errLeaseLost
	}
	return err
}

// claim makes this run the owner of the job (kind, id). When there is no
// such job it creates the one fresh returns, if no concurrent run creates
// it first (resumed false). When the job exists and no run holds a live
// lease on it (the run that wrote it crashed, or released it after a
// failure), it applies prepare (when not nil) and takes the job over with a
// compare-and-set (resumed true); of concurrent callers, one wins. A job
// under a live lease is errJobBusy.
func (s *Service) claim(ctx context.Context, kind, id string, fresh func() (*ugc.Job, error), prepare func(*ugc.Job) error) (_ *ugc.Job, resumed bool, _ error) {
	// Each retry follows a write by another run; three rounds without
	// winning mean runs keep racing for the job: it is busy.
	for range 3 {
		j, err := s.store.GetJob(ctx, kind, id)
		if isNotFound(err) {
			nj, err := fresh()
			if err != nil {
				return nil, false, err
			}
			s.stamp(nj, false)
			err = s.store.CreateJob(ctx, nj)
			if err == nil {
				return nj, false, nil
			}
			if !errors.Is(err, ugc.ErrAlreadyExists) {
				return nil, false, err
			}
			continue
		}
		if err != nil {
			return nil, false, err
		}
		if s.leased(j) {
			return nil, false, errJobBusy
		}
		if j.Data == nil {
			j.Data = map[string]string{}
		}
		if prepare != nil {
			if err := prepare(j); err != nil {
				return nil, false, err
			}
		}
		switch err := s.writeJob(ctx, j, false); {
		case err == nil:
			return j, true, nil
		case !errors.Is(err, errLeaseLost):
			return nil, false, err
		}
	}
	return nil, false, errJobBusy
}
