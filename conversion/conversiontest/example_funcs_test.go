package conversiontest_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hybridid/hybridid/conversion/conversiontest"
)

// A tenant whose write is made but whose answer is lost, around the in-memory fake (the same
// works around graphx.Tenant).
func ExampleInterceptTenant() {
	ctx := context.Background()
	at := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	org, _, cloud := conversiontest.Population(1, at)
	fake := conversiontest.NewTenant(org, cloud...)
	tn := conversiontest.InterceptTenant(fake, conversiontest.TenantFuncs{
		SetCloudManaged: func(ctx context.Context, id string, old, new bool, next func(context.Context, string, bool, bool) error) error {
			if err := next(ctx, id, old, new); err != nil {
				return err
			}
			return errors.New("connection reset after the write")
		},
	})
	err := tn.SetCloudManaged(ctx, cloud[0].ID, false, true)
	u, _ := tn.User(ctx, cloud[0].ID)
	fmt.Println(err)
	fmt.Println("cloud-managed:", u.CloudManaged)
	// Output:
	// connection reset after the write
	// cloud-managed: true
}
