package chatsvc

import (
	"context"
	"encoding/json"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivschat"
	"github.com/coder/websocket"
)

// fanoutRoom connects n WebSocket clients to a new room; the first may
// send messages. Every frame any client reads is signalled on recv.
func fanoutRoom(b *testing.B, n int) (f *fixture, arn string, conns []*websocket.Conn, recv chan struct{}) {
	f = newFixture(b)
	arn = aws.ToString(f.createRoom(b, &ivschat.CreateRoomInput{MaximumMessageRatePerSecond: aws.Int32(100)}).Arn)
	recv = make(chan struct{}, 4*n)
	var readers sync.WaitGroup
	conns = make([]*websocket.Conn, n)
	for i := range conns {
		token := f.token(b, arn, "viewer", nil)
		if i == 0 {
			token = f.token(b, arn, "sender", nil, capSend)
		}
		c, err := f.tryDial(token)
		if err != nil {
			b.Fatalf("dial %d: %v", i, err)
		}
		conns[i] = c
		readers.Go(func() {
			for {
				if _, _, err := c.Read(context.Background()); err != nil {
					return
				}
				recv <- struct{}{}
			}
		})
	}
	b.Cleanup(func() {
		for _, c := range conns {
			c.CloseNow()
		}
		readers.Wait()
	})
	return f, arn, conns, recv
}

// BenchmarkFanout1000 measures one SEND_MESSAGE from a client until all
// 1,000 WebSocket clients of the room (the sender included) have read the
// MESSAGE frame.
func BenchmarkFanout1000(b *testing.B) {
	const n = 1000
	f, _, conns, recv := fanoutRoom(b, n)
	msg, err := json.Marshal(map[string]any{"Action": "SEND_MESSAGE", "RequestId": "bench", "Content": "hello, everyone"})
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		f.clock.Add(time.Second) // stay within the room's message rate
		if err := conns[0].Write(context.Background(), websocket.MessageText, msg); err != nil {
			b.Fatal(err)
		}
		for range n {
			<-recv
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/1e6, "ms/fanout")
}

// BenchmarkSendEventFanout1000 measures one SendEvent API call (through the
// ivschat SDK client) until all 1,000 WebSocket clients have read the EVENT.
func BenchmarkSendEventFanout1000(b *testing.B) {
	const n = 1000
	f, arn, _, recv := fanoutRoom(b, n)
	in := &ivschat.SendEventInput{RoomIdentifier: aws.String(arn), EventName: aws.String("bench"), Attributes: map[string]string{"k": "v"}}
	for b.Loop() {
		if _, err := f.client.SendEvent(context.Background(), in); err != nil {
			b.Fatal(err)
		}
		for range n {
			<-recv
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/1e6, "ms/fanout")
}
