package httpapi

import (
	"bufio"
	"net/http"
	"strconv"
	"time"

	"github.com/ivs-ugc/ugc-go/ugc"
)

// headerLastEventID is the header a reconnecting EventSource sends.
const headerLastEventID = "Last-Event-ID"

// events serves the caller's notifications as server-sent events until
// the client goes away. The response is long-lived: the server's write
// deadline, if any, is lifted for it, and each batch is flushed at once.
func (h realtimeHandlers) events(w http.ResponseWriter, r *http.Request) error {
	var after int64
	resume := false
	if v := r.Header.Get(headerLastEventID); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			return ugc.InvalidField(headerLastEventID, "must be the id of an event of this stream")
		}
		after, resume = n, true
	}
	rc := http.NewResponseController(w)
	_ = rc.SetWriteDeadline(time.Time{}) // not every writer has deadlines
	hdr := w.Header()
	hdr.Set("Content-Type", "text/event-stream")
	hdr.Set("Cache-Control", "no-store")
	hdr.Set("X-Accel-Buffering", "no") // proxies must not buffer the stream
	w.WriteHeader(http.StatusOK)
	bw := bufio.NewWriter(w)
	_, _ = bw.WriteString("retry: 3000\n\n")
	if err := flush(bw, rc); err != nil {
		return nil // the client went away
	}
	err := h.svc.Stream(r.Context(), callerID(r), after, resume, func(batch []ugc.Notification) error {
		if len(batch) == 0 {
			_, _ = bw.WriteString(": keep-alive\n\n")
		}
		for _, n := range batch {
			_, _ = bw.WriteString("id: " + strconv.FormatInt(n.Seq, 10) + "\nevent: " + n.Type + "\ndata: ")
			_, _ = bw.Write(n.Data) // compact JSON: one line
			_, _ = bw.WriteString("\n\n")
		}
		return flush(bw, rc)
	})
	if r.Context().Err() != nil {
		return nil // the client went away: the normal end of a stream
	}
	return err
}

func flush(bw *bufio.Writer, rc *http.ResponseController) error {
	if err := bw.Flush(); err != nil {
		return err
	}
	return rc.Flush()
}
