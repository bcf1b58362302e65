//go:build unix

package conversion

import (
	"errors"
	"os"
	"syscall"
)

// lockJournal takes an exclusive, non-blocking flock on the open journal file, so that two
// processes cannot append to one journal at the same time. The lock goes with the file
// descriptor: closing the journal, or the process ending (even killed), releases it, so a
// crash never leaves a stale lock behind.
func lockJournal(f *os.File) error {
	err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
	if errors.Is(err, syscall.EWOULDBLOCK) {
		return ErrJournalLocked
	}
	return err
}
