package chat_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/ivs-ugc/ugc-go/ugc/chat"
)

// BenchmarkToken mints viewer tokens against ivslocal: three store reads
// and one CreateChatToken call over HTTP each.
func BenchmarkToken(b *testing.B) {
	e := newEnv(b)
	e.register("owner1")
	viewer := e.register("viewer1")
	b.Run("serial", func(b *testing.B) {
		for b.Loop() {
			if _, err := e.svc.Token(ctx, "owner1", viewer.ID); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "tokens/s")
	})
	b.Run("parallel", func(b *testing.B) {
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if _, err := e.svc.Token(ctx, "owner1", viewer.ID); err != nil {
					b.Error(err)
					return
				}
			}
		})
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "tokens/s")
	})
}

// benchTerms returns n blocked terms: single words and some two-word
// phrases.
func benchTerms(n int) []string {
	terms := make([]string, n)
	for i := range terms {
		if i%10 == 0 {
			terms[i] = fmt.Sprintf("blocked%03d phrase", i)
		} else {
			terms[i] = fmt.Sprintf("Blocked%03d", i)
		}
	}
	return terms
}

// A clean chat message (every word is looked up, none matches) of about
// 100 characters, with one non-ASCII word.
const benchMessage = "Great stream today! That last play was amazing, can you explain how you set up the café overlay?"

// BenchmarkReview measures review decisions per second for a room whose
// channel has 500 blocked terms (target: 200,000/s), through
// Service.Review with the compiled terms cached, and for the Matcher alone.
func BenchmarkReview(b *testing.B) {
	e := newEnv(b)
	owner := e.register("owner1")
	if _, err := e.svc.SetBlockedTerms(ctx, owner.ID, benchTerms(chat.MaxTerms)); err != nil {
		b.Fatal(err)
	}
	clean := chat.ReviewRequest{Content: benchMessage, RoomArn: owner.Channel.ChatRoomArn}
	blocked := chat.ReviewRequest{Content: benchMessage + " blocked499", RoomArn: owner.Channel.ChatRoomArn}
	for _, tt := range []struct {
		name string
		req  chat.ReviewRequest
		want string
	}{{"clean", clean, chat.ReviewAllow}, {"blocked", blocked, chat.ReviewDeny}} {
		b.Run("service/"+tt.name, func(b *testing.B) {
			for b.Loop() {
				resp, err := e.svc.Review(ctx, tt.req)
				if err != nil || resp.ReviewResult != tt.want {
					b.Fatalf("Review = %+v, %v; want %s", resp, err, tt.want)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "decisions/s")
		})
		b.Run("service-parallel/"+tt.name, func(b *testing.B) {
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if resp, err := e.svc.Review(ctx, tt.req); err != nil || resp.ReviewResult != tt.want {
						b.Errorf("Review = %+v, %v; want %s", resp, err, tt.want)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "decisions/s")
		})
	}
	m := chat.CompileTerms(benchTerms(chat.MaxTerms))
	b.Run("matcher", func(b *testing.B) {
		for b.Loop() {
			if m.Match(benchMessage) {
				b.Fatal("clean message matched")
			}
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "decisions/s")
	})
	long := strings.Repeat("abcdefghij ", 45) // 495 characters, the longest messages
	b.Run("matcher/500-chars", func(b *testing.B) {
		for b.Loop() {
			if m.Match(long) {
				b.Fatal("clean message matched")
			}
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "decisions/s")
	})
	b.Run("compile", func(b *testing.B) {
		terms := benchTerms(chat.MaxTerms)
		for b.Loop() {
			chat.CompileTerms(terms)
		}
	})
}
