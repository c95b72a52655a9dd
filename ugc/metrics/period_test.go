package metrics

import (
	"testing"
	"time"
)

func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestPeriodFor(t *testing.T) {
	now := mustTime(t, "2022-06-10T19:12:05Z")
	tests := []struct {
		age  time.Duration
		want int
	}{
		{0, 5},
		{3 * time.Hour, 5},
		{3*time.Hour + time.Millisecond, 60}, // ceil to the second crosses 3 h
		{15 * 24 * time.Hour, 60},
		{15*24*time.Hour + time.Second, 300},
		{63 * 24 * time.Hour, 300},
		{63*24*time.Hour + time.Second, 3600},
		{400 * 24 * time.Hour, 3600},
	}
	for _, tt := range tests {
		if got := PeriodFor(now.Add(-tt.age), now); got != tt.want {
			t.Errorf("PeriodFor(now-%v) = %d, want %d", tt.age, got, tt.want)
		}
	}
}

// The seed's worked examples, plus boundaries of each rule.
func TestWindowFor(t *testing.T) {
	tests := []struct {
		name            string
		start, end, now string
		wantKey         string
	}{
		{
			name:    "seed live session at period 5",
			start:   "2022-06-10T19:07:00Z",
			now:     "2022-06-10T19:12:05Z",
			wantKey: "P5-S1654888020000-E1654888325000",
		},
		{
			name:    "seed session near 63 days aligns up",
			start:   "2022-04-08T19:13:00Z",
			end:     "2022-04-08T19:18:05Z",
			now:     "2022-06-10T19:12:05Z",
			wantKey: "P300-S1649445300000-E1649445600000",
		},
		{
			name:    "ended session a day old uses 60 s",
			start:   "2022-06-09T10:00:30Z",
			end:     "2022-06-09T11:00:01Z",
			now:     "2022-06-10T19:12:05Z",
			wantKey: "P60-S1654768800000-E1654772460000",
		},
		{
			name:    "session that ended the second it started gets one period",
			start:   "2022-06-10T19:10:00Z",
			end:     "2022-06-10T19:10:00Z",
			now:     "2022-06-10T19:12:05Z",
			wantKey: "P5-S1654888200000-E1654888205000",
		},
		{
			name:    "live session older than 3 h is clamped to the last 3 h less a minute",
			start:   "2022-06-10T10:00:00Z",
			now:     "2022-06-10T19:12:05Z",
			wantKey: "P5-S1654877585000-E1654888325000",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var end time.Time
			if tt.end != "" {
				end = mustTime(t, tt.end)
			}
			w := WindowFor(mustTime(t, tt.start), end, mustTime(t, tt.now))
			if got := w.Key(); got != tt.wantKey {
				t.Errorf("key = %s, want %s", got, tt.wantKey)
			}
		})
	}
}
