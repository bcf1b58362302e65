package conversiontest_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hybridid/hybridid/conversion"
	"github.com/hybridid/hybridid/conversion/conversiontest"
)

// Inject a fault into a fake tenant's writes and inspect what was written.
func Example() {
	at := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	ten, _, cloud := conversiontest.Population(2, at)
	ft := conversiontest.NewTenant(ten, cloud...)
	ft.SetFuncs(ft.EveryWrite(conversiontest.Before(func(_ context.Context, op, target string) error {
		if target == "cloud:"+cloud[1].ID {
			return fmt.Errorf("%s: %w", op, conversion.ErrForbidden)
		}
		return nil
	})))
	ctx := context.Background()
	fmt.Println(ft.SetCloudManaged(ctx, cloud[0].ID, false, true))
	err := ft.SetCloudManaged(ctx, cloud[1].ID, false, true)
	fmt.Println(errors.Is(err, conversion.ErrForbidden))
	err = ft.SetCloudManaged(ctx, cloud[0].ID, false, true) // precondition no longer holds
	fmt.Println(errors.Is(err, conversion.ErrConflict))
	for _, w := range ft.Writes() {
		fmt.Println(w.Op, w.Target, w.Old, "->", w.New)
	}
	// Output:
	// <nil>
	// true
	// true
	// SetCloudManaged cloud:00000000-0000-4000-8000-000000000000 false -> true
}
