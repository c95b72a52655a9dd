package stagesvc_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"

	"github.com/ivs-ugc/ugc-go/ugc/ivslocal/internal/emu"
	"github.com/ivs-ugc/ugc-go/ugc/ivslocal/internal/stagesvc"
)

// A participant joins a stage with a token from the real SDK client, and
// publishes; the bus reports what happened.
func ExampleService_Join() {
	env := emu.NewEnv("us-east-1", "123456789012")
	cancel := env.Bus.Subscribe(func(ev emu.Event) { fmt.Println(ev.DetailType+":", ev.Detail["event_name"]) })
	defer cancel()
	svc := stagesvc.New(env)
	mux := http.NewServeMux()
	svc.Register(mux)
	srv := httptest.NewServer(mux)
	defer srv.Close()

	client := ivsrealtime.New(ivsrealtime.Options{
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider("test", "test", ""),
		BaseEndpoint: aws.String(srv.URL),
	})
	ctx := context.Background()
	st, err := client.CreateStage(ctx, &ivsrealtime.CreateStageInput{Name: aws.String("demo")})
	if err != nil {
		fmt.Println(err)
		return
	}
	tok, err := client.CreateParticipantToken(ctx, &ivsrealtime.CreateParticipantTokenInput{StageArn: st.Stage.Arn, UserId: aws.String("alice")})
	if err != nil {
		fmt.Println(err)
		return
	}
	arn := *st.Stage.Arn
	stageID := arn[len(arn)-12:]
	pid, err := svc.Join(stageID, *tok.ParticipantToken.Token)
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := svc.Publish(stageID, pid); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("same participant:", pid == *tok.ParticipantToken.ParticipantId)
	// Output:
	// IVS Stage Update: Session Created
	// IVS Stage Update: Participant Joined
	// IVS Stage Update: Participant Published
	// same participant: true
}
