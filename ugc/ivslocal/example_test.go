package ivslocal_test

import (
	"context"
	"fmt"
	"log"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivs"

	"github.com/ivs-ugc/ugc-go/ugc/ivslocal"
)

func ExampleNewServer() {
	srv := ivslocal.NewServer()
	defer srv.Close()

	// Any aws-sdk-go-v2 client of IVS, IVS Chat, IVS Real-Time or
	// CloudWatch works against the server.
	client := ivs.NewFromConfig(srv.AWSConfig())
	ctx := context.Background()
	created, err := client.CreateChannel(ctx, &ivs.CreateChannelInput{Name: aws.String("demo")})
	if err != nil {
		log.Fatal(err)
	}

	// Simulate a broadcaster connecting with the channel's stream key.
	if _, _, err := srv.StartStream(aws.ToString(created.StreamKey.Value)); err != nil {
		log.Fatal(err)
	}
	out, err := client.GetStream(ctx, &ivs.GetStreamInput{ChannelArn: created.Channel.Arn})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(out.Stream.State, out.Stream.Health)
	// Output: LIVE HEALTHY
}

func ExampleServer_Subscribe() {
	srv := ivslocal.NewServer()
	defer srv.Close()
	cancel := srv.Subscribe(func(ev ivslocal.Event) {
		fmt.Println(ev.DetailType, "-", ev.Detail["event_name"])
	})
	defer cancel()

	client := ivs.NewFromConfig(srv.AWSConfig())
	created, err := client.CreateChannel(context.Background(), &ivs.CreateChannelInput{})
	if err != nil {
		log.Fatal(err)
	}
	_, _, err = srv.StartStream(aws.ToString(created.StreamKey.Value))
	if err != nil {
		log.Fatal(err)
	}
	// Output:
	// IVS Stream State Change - Session Created
	// IVS Stream State Change - Stream Start
}

func ExampleServer_InjectFault() {
	srv := ivslocal.NewServer()
	defer srv.Close()
	srv.InjectFault(ivslocal.Fault{Operation: "CreateChannel", Error: "ServiceQuotaExceededException"})

	client := ivs.NewFromConfig(srv.AWSConfig())
	_, err := client.CreateChannel(context.Background(), &ivs.CreateChannelInput{})
	fmt.Println(err != nil)
	for _, c := range srv.Calls() {
		fmt.Println(c.Operation, c.Status, c.Error)
	}
	// Output:
	// true
	// CreateChannel 402 ServiceQuotaExceededException
}
