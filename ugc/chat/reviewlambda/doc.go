// Package reviewlambda runs the chat message review handler of blocked
// terms (chat.Reviewer) as an AWS Lambda function, for IVS Chat rooms whose
// messageReviewHandler names it.
//
// # Deployment
//
// Build a main that opens the platform's store, builds a chat.Reviewer on
// it and calls Start:
//
//	r, err := chat.NewReviewer(chat.ReviewerOptions{Store: st})
//	...
//	reviewlambda.Start(r)
//
// Give the function read access to the store, let IVS Chat invoke it
// (a resource policy for ivschat.amazonaws.com) and pass its ARN as
// chat.Options.ReviewHandlerURI to the service that manages the rooms:
// rooms of channels with blocked terms get it as their handler, with
// fallback ALLOW, so a failing or slow function lets messages through.
//
// # Errors
//
// A store failure is returned as the invocation's error; IVS Chat then
// applies the room's fallback result. The function is warm-cached: a
// channel's compiled terms are reused for chat.DefaultTermsCacheTTL.
//
// # Testing
//
// Handler returns the lambda.Handler that Start runs, so tests invoke it
// with the JSON payload IVS Chat sends and check the JSON it answers.
package reviewlambda
