package dynamostore

import (
	"context"
	"errors"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/ivs-ugc/ugc-go/ugc"
)

// TableAPI is the part of the DynamoDB client CreateTable calls.
type TableAPI interface {
	CreateTable(ctx context.Context, in *dynamodb.CreateTableInput, optFns ...func(*dynamodb.Options)) (*dynamodb.CreateTableOutput, error)
	DescribeTable(ctx context.Context, in *dynamodb.DescribeTableInput, optFns ...func(*dynamodb.Options)) (*dynamodb.DescribeTableOutput, error)
}

var _ TableAPI = (*dynamodb.Client)(nil)

// CreateTableTimeout bounds how long CreateTable waits for the table to
// become ACTIVE.
const CreateTableTimeout = 5 * time.Minute

// CreateTable creates the table the Store needs (on-demand billing, one
// local and three global secondary indexes, all projecting every
// attribute) and waits until it is ACTIVE. A table that exists already is
// ErrAlreadyExists.
func CreateTable(ctx context.Context, client TableAPI, name string) (err error) {
	defer ugc.Wrap(&err, "dynamostore.CreateTable")
	if client == nil {
		return ugc.InvalidField("client", "is required")
	}
	if name == "" {
		return ugc.InvalidField("table", "is required")
	}
	_, err = client.CreateTable(ctx, TableInput(name))
	var inUse *types.ResourceInUseException
	if errors.As(err, &inUse) {
		return &ugc.Error{Kind: ugc.ErrAlreadyExists, Field: "table", Message: "the table exists", Err: err}
	}
	if err != nil {
		return dbErr(err)
	}
	w := dynamodb.NewTableExistsWaiter(client, func(o *dynamodb.TableExistsWaiterOptions) {
		o.MinDelay = 100 * time.Millisecond
		o.MaxDelay = 2 * time.Second
	})
	return dbErr(w.Wait(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(name)}, CreateTableTimeout))
}

// TableInput returns the CreateTable request CreateTable sends, for
// callers that create the table with their own tooling.
func TableInput(name string) *dynamodb.CreateTableInput {
	s := func(n string) types.AttributeDefinition {
		return types.AttributeDefinition{AttributeName: aws.String(n), AttributeType: types.ScalarAttributeTypeS}
	}
	ks := func(h, r string) []types.KeySchemaElement {
		return []types.KeySchemaElement{
			{AttributeName: aws.String(h), KeyType: types.KeyTypeHash},
			{AttributeName: aws.String(r), KeyType: types.KeyTypeRange},
		}
	}
	all := &types.Projection{ProjectionType: types.ProjectionTypeAll}
	gsi := func(name, h, r string) types.GlobalSecondaryIndex {
		return types.GlobalSecondaryIndex{IndexName: aws.String(name), KeySchema: ks(h, r), Projection: all}
	}
	return &dynamodb.CreateTableInput{
		TableName:   aws.String(name),
		BillingMode: types.BillingModePayPerRequest,
		AttributeDefinitions: []types.AttributeDefinition{
			s(attrPK), s(attrSK), s(attrLSK), s(attrG1PK), s(attrG1SK), s(attrG2PK), s(attrG2SK), s(attrG3PK), s(attrG3SK),
		},
		KeySchema: ks(attrPK, attrSK),
		LocalSecondaryIndexes: []types.LocalSecondaryIndex{
			{IndexName: aws.String(indexLSI1), KeySchema: ks(attrPK, attrLSK), Projection: all},
		},
		GlobalSecondaryIndexes: []types.GlobalSecondaryIndex{
			gsi(indexGSI1, attrG1PK, attrG1SK),
			gsi(indexGSI2, attrG2PK, attrG2SK),
			gsi(indexGSI3, attrG3PK, attrG3SK),
		},
	}
}
