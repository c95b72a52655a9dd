package reviewlambda_test

import (
	"log"

	"github.com/ivs-ugc/ugc-go/ugc/chat"
	"github.com/ivs-ugc/ugc-go/ugc/chat/reviewlambda"
	"github.com/ivs-ugc/ugc-go/ugc/store/memstore"
)

// The main of a review Lambda function: a Reviewer on the platform's
// store, served by Start. (A real deployment opens the shared store, e.g.
// DynamoDB, instead of memstore.)
func ExampleStart() {
	st := memstore.New()
	r, err := chat.NewReviewer(chat.ReviewerOptions{Store: st})
	if err != nil {
		log.Fatal(err)
	}
	reviewlambda.Start(r) // serves invocations; never returns
}
