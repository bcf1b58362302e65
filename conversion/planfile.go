package conversion

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// ErrNotPlanFile: WritePlanFile was pointed at an existing file that is not a plan (a journal, a
// note): it is never overwritten.
var ErrNotPlanFile = errors.New("not a plan file")

// DefaultPlanName is the file WritePlanFile writes into when it is given a directory.
const DefaultPlanName = "plan.json"

// WritePlanFile writes p as JSON to path and returns the name written: path itself, or
// path/plan.json when path is a directory. The plan is written to a temporary file in the
// directory of that name, fsynced, and moved into place, and the directory is fsynced, so that a
// crash leaves either the old file or the whole new plan. A new name is created without
// replacing anything that appears there meanwhile; an existing file is replaced only when it
// reads as a plan (ReadPlan), and anything else is refused with ErrNotPlanFile, naming it.
func WritePlanFile(path string, p *Plan) (string, error) {
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		path = filepath.Join(path, DefaultPlanName)
	}
	replace := false
	switch fi, err := os.Lstat(path); {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return "", err
	case !fi.Mode().IsRegular():
		return "", fmt.Errorf("%s: %w: not a regular file", path, ErrNotPlanFile)
	default:
		data, err := os.ReadFile(path)
		if err != nil {
			return "", err
		}
		if _, err := ReadPlan(bytes.NewReader(data)); err != nil {
			return "", fmt.Errorf("%s: %w: it exists and does not read as a plan (%v); choose another name", path, ErrNotPlanFile, err)
		}
		replace = true
	}
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*")
	if err != nil {
		return "", err
	}
	defer os.Remove(tmp.Name())
	err = p.WriteJSON(tmp)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), 0o644)
	}
	if err != nil {
		return "", fmt.Errorf("writing %s: %w", path, err)
	}
	if replace {
		err = os.Rename(tmp.Name(), path)
	} else {
		// A hard link never replaces: a file that appeared at path meanwhile is kept.
		err = os.Link(tmp.Name(), path)
		if errors.Is(err, fs.ErrExist) {
			return "", fmt.Errorf("%s: %w: it appeared while the plan was written", path, ErrNotPlanFile)
		}
		if err != nil && !errors.Is(err, fs.ErrExist) {
			// File systems without hard links: an exclusive create would not be atomic with the
			// content; fall back to rename after checking again.
			if _, serr := os.Lstat(path); errors.Is(serr, fs.ErrNotExist) {
				err = os.Rename(tmp.Name(), path)
			}
		}
	}
	if err != nil {
		return "", err
	}
	if err := syncDir(dir); err != nil {
		return "", fmt.Errorf("writing %s: %w", path, err)
	}
	return path, nil
}
