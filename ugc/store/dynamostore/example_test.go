package dynamostore_test

import (
	"context"
	"errors"
	"log"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/store/dynamostore"
)

// A server opens the store with the standard AWS config chain, so
// AWS_ENDPOINT_URL_DYNAMODB=http://127.0.0.1:8000 points it at a local
// DynamoDB, and creates the table on first start.
func ExampleNew() {
	ctx := context.Background()
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		log.Fatal(err)
	}
	client := dynamodb.NewFromConfig(cfg)
	if err := dynamostore.CreateTable(ctx, client, "ugc"); err != nil && !errors.Is(err, ugc.ErrAlreadyExists) {
		log.Fatal(err)
	}
	st, err := dynamostore.New(client, "ugc")
	if err != nil {
		log.Fatal(err)
	}
	defer st.Close()
	n, err := st.FollowerCount(ctx, "user-1")
	if err != nil {
		log.Fatal(err)
	}
	log.Printf("user-1 has %d followers", n)
}

// Replicas that must accept each other's cursors without the table's meta
// item can share a key from their configuration.
func ExampleOptions() {
	var client *dynamodb.Client // from dynamodb.NewFromConfig
	st, err := dynamostore.New(client, "ugc", func(o *dynamostore.Options) {
		o.CursorKey = []byte("a secret of at least 16 bytes from the environment")
		o.LiveShards = 16
	})
	_, _ = st, err
}
