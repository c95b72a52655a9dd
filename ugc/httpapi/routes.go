package httpapi

// featureRoutes returns the routes of every feature service set in opts,
// in registration order. Adding a feature: an Options field and one line
// here; its routes live in routes_<feature>.go.
func featureRoutes(opts *Options) []Route {
	var rs []Route
	if opts.Channels != nil {
		rs = append(rs, channelRoutes(opts.Channels)...)
	}
	if opts.Chat != nil {
		rs = append(rs, chatRoutes(opts.Chat)...)
	}
	if opts.Metrics != nil {
		rs = append(rs, metricsRoutes(opts.Metrics, opts.EventsSecret)...)
	}
	if opts.Actions != nil {
		rs = append(rs, actionRoutes(opts.Actions)...)
	}
	if opts.Realtime != nil {
		rs = append(rs, realtimeRoutes(opts.Realtime)...)
	}
	return rs
}
