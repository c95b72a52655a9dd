package realtime

import "context"

// VerifyInvite exposes verifyInvite to the fuzz test.
func (s *Service) VerifyInvite(ctx context.Context, code, hostID string) error {
	return s.verifyInvite(ctx, code, hostID)
}
