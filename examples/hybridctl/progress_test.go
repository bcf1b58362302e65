package main

import (
	"bytes"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestWantsJSON(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args []string
		want bool
	}{
		{[]string{"match", "--json"}, true},
		{[]string{"match", "--format", "json"}, true},
		{[]string{"match", "--format=json"}, true},
		{[]string{"match", "--format", "csv"}, false},
		{[]string{"demo"}, false},
	} {
		assert.Equal(t, tc.want, wantsJSON(tc.args), "%v", tc.args)
	}
}

func TestProgress(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		var buf bytes.Buffer
		p := startProgress(&env{stderr: &buf, stderrTTY: true}, "reading")
		p.Add(1024)
		time.Sleep(600 * time.Millisecond)
		synctest.Wait()
		assert.Contains(t, buf.String(), "reading… 1024 objects")
		p.Phase("evaluating")
		time.Sleep(500 * time.Millisecond)
		synctest.Wait()
		assert.Contains(t, buf.String(), "evaluating…")
		p.Stop()
	})
	// Off: nil reporter, every method is a no-op.
	var off *progress = startProgress(&env{stderrTTY: false}, "x")
	assert.Nil(t, off)
	off.Add(1)
	off.Phase("y")
	off.Stop()
}
