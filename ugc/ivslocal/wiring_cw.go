package ivslocal

// wireCloudWatch mounts the CloudWatch service. Until the cwsvc package
// lands, CloudWatch requests fall through to the restJson1 mux (404) and
// metric points are dropped (env.Metrics stays nil).
func (s *Server) wireCloudWatch() {}
