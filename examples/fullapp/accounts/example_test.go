package accounts_test

import (
	"context"
	"fmt"

	"github.com/ivs-ugc/ugc-go/examples/fullapp/accounts"
	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/store/memstore"
)

// Example registers an account, signs in with the email and resets the
// password through the outbox.
func Example() {
	ctx := context.Background()
	st := memstore.New()
	defer st.Close()
	outbox := &accounts.Outbox{}
	svc, err := accounts.New(accounts.Options{
		Store:       st,
		Provisioner: &storeProvisioner{st: st}, // channels.Service in the app
		Mailer:      outbox,
	})
	if err != nil {
		panic(err)
	}
	reg, err := svc.Register(ctx, accounts.RegisterInput{Username: "alice", Email: "alice@example.com", Password: "Correct-Horse-9"})
	if err != nil {
		panic(err)
	}
	fmt.Println("registered", reg.User.Username, "token", reg.Token) // a token prints REDACTED

	_, err = svc.Login(ctx, accounts.LoginInput{Login: "alice@example.com", Password: "wrong-Horse-9"})
	fmt.Println("wrong password:", ugc.CodeOf(err))

	if err := svc.RequestReset(ctx, "alice@example.com"); err != nil {
		panic(err)
	}
	fmt.Println("mail to", outbox.Messages()[0].To, "-", outbox.Messages()[0].Subject)
	// Output:
	// registered alice token REDACTED
	// wrong password: invalid_credentials
	// mail to alice@example.com - Reset your password
}
