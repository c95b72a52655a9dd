package ugc_test

import (
	"errors"
	"fmt"

	"github.com/ivs-ugc/ugc-go/ugc"
)

func ExampleValidateUsername() {
	for _, name := range []string{"stream_fan", "Login", "a b"} {
		err := ugc.ValidateUsername(name)
		fmt.Printf("%-10s %-5v %q\n", name, errors.Is(err, ugc.ErrInvalidArgument), ugc.CodeOf(err))
	}
	// Output:
	// stream_fan false ""
	// Login      true  "reserved_username"
	// a b        true  "invalid_username"
}

func ExampleStreamKey() {
	key := ugc.StreamKey("sk_us-west-2_abc")
	fmt.Println(key, len(key.Reveal()))
	// Output: REDACTED 16
}
