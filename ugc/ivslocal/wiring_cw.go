package ivslocal

import "github.com/ivs-ugc/ugc-go/ugc/ivslocal/internal/cwsvc"

// wireCloudWatch mounts the CloudWatch service and makes it the metric sink
// of simulated streams.
func (s *Server) wireCloudWatch() {
	cw := cwsvc.New(s.env)
	s.env.Metrics = cw
	s.cw = cw
	s.parts = append(s.parts, cw)
}
