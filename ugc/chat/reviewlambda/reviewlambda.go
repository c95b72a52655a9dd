package reviewlambda

import (
	"context"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/ivs-ugc/ugc-go/ugc/chat"
)

// Reviewer decides on one chat message. *chat.Reviewer and *chat.Service
// satisfy it.
type Reviewer interface {
	Review(ctx context.Context, req chat.ReviewRequest) (chat.ReviewResponse, error)
}

var (
	_ Reviewer = (*chat.Reviewer)(nil)
	_ Reviewer = (*chat.Service)(nil)
)

// Func returns r.Review as a Lambda handler function: it takes the IVS
// Chat review payload and returns the review response.
func Func(r Reviewer) func(ctx context.Context, req chat.ReviewRequest) (chat.ReviewResponse, error) {
	return r.Review
}

// Handler returns the Lambda handler Start runs: it decodes the JSON
// payload IVS Chat sends, calls r.Review and encodes its answer.
func Handler(r Reviewer) lambda.Handler {
	return lambda.NewHandler(Func(r))
}

// Start runs r as the handler of the Lambda function this process serves.
// It does not return.
func Start(r Reviewer) {
	lambda.Start(Func(r))
}
