//go:build !unix

package conversion

import "os"

// lockJournal does nothing on systems without flock: there, running two applies on one journal
// at the same time is the caller's responsibility.
func lockJournal(*os.File) error { return nil }
