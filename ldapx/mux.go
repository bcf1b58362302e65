package ldapx

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"time"

	ldap "github.com/go-ldap/ldap/v3"
)

// muxConn sits between go-ldap and the (TLS) connection. One goroutine reads every LDAP message
// from the server: responses to searches sent by muxConn.search (message ids from muxFirstID
// up) are decoded in place into the page being built, and everything else is handed unchanged
// to go-ldap, which reads it through muxConn.Read and keeps doing binds and writes. Searches
// thus skip go-ldap's packet tree and its two goroutine hand-offs per entry, which is where most
// of the client's read time went.
type muxConn struct {
	net.Conn // the connection to the server; Write and Close are wrapped below

	wmu sync.Mutex // one whole message per Write

	// What go-ldap reads.
	pmu   sync.Mutex
	pcond *sync.Cond
	pbuf  []byte
	perr  error

	smu     sync.Mutex
	pending map[int64]*pendingSearch
	err     error // set when reading ended; later searches fail with it
	nextID  atomic.Int64

	closeOnce sync.Once
}

// go-ldap numbers its messages from 1; ours start far above, so the two never meet.
const muxFirstID = 1 << 30

type pendingSearch struct {
	b    pageBuilder
	done chan struct{}
	page *SearchPage
	err  error
}

func newMux(c net.Conn) *muxConn {
	m := &muxConn{Conn: c, pending: make(map[int64]*pendingSearch)}
	m.pcond = sync.NewCond(&m.pmu)
	m.nextID.Store(muxFirstID)
	go m.readLoop()
	return m
}

// Read hands go-ldap the messages that are not ours.
func (m *muxConn) Read(p []byte) (int, error) {
	m.pmu.Lock()
	defer m.pmu.Unlock()
	for len(m.pbuf) == 0 && m.perr == nil {
		m.pcond.Wait()
	}
	if len(m.pbuf) == 0 {
		return 0, m.perr
	}
	n := copy(p, m.pbuf)
	m.pbuf = m.pbuf[n:]
	return n, nil
}

func (m *muxConn) Write(p []byte) (int, error) {
	m.wmu.Lock()
	defer m.wmu.Unlock()
	return m.Conn.Write(p)
}

func (m *muxConn) Close() error {
	err := net.ErrClosed
	m.closeOnce.Do(func() { err = m.Conn.Close() })
	return err
}

func (m *muxConn) readLoop() {
	br := bufio.NewReaderSize(m.Conn, 64<<10)
	var hdr [6]byte
	var err error
	for err == nil {
		err = m.readOne(br, &hdr)
	}
	if errors.Is(err, net.ErrClosed) {
		err = io.EOF
	}
	m.smu.Lock()
	m.err = fmt.Errorf("LDAP connection ended: %w", err)
	for id, ps := range m.pending {
		ps.err = m.err
		close(ps.done)
		delete(m.pending, id)
	}
	m.smu.Unlock()
	m.pmu.Lock()
	m.perr = err
	m.pcond.Broadcast()
	m.pmu.Unlock()
	m.Close()
}

func (m *muxConn) readOne(br *bufio.Reader, hdr *[6]byte) error {
	header, n, err := readHeader(br, hdr)
	if err != nil {
		return err
	}
	peek, _ := br.Peek(min(n, 6))
	id, ok := messageID(peek)
	if !ok || id < muxFirstID {
		msg := make([]byte, len(header)+n)
		copy(msg, header)
		if _, err := io.ReadFull(br, msg[len(header):]); err != nil {
			return unexpectedEOF(err)
		}
		m.pmu.Lock()
		m.pbuf = append(m.pbuf, msg...)
		m.pcond.Broadcast()
		m.pmu.Unlock()
		return nil
	}
	m.smu.Lock()
	ps := m.pending[id]
	m.smu.Unlock()
	if ps == nil { // abandoned or timed out
		_, err := br.Discard(n)
		return unexpectedEOF(err)
	}
	content := ps.b.buffer(n)
	if _, err := io.ReadFull(br, content); err != nil {
		return unexpectedEOF(err)
	}
	_, tag, op, controls, err := splitMessage(content)
	if err == nil {
		switch tag {
		case tagSearchEntry:
			err = ps.b.addEntry(op)
		case tagSearchReference:
			err = ps.b.addReference(op)
		case tagSearchDone:
			ps.page, ps.err = ps.b.finish(op, controls)
			m.complete(id, ps)
			return nil
		default: // intermediate responses and the like: nothing a search needs
		}
	}
	if err != nil {
		// The message is framed, so the stream stays usable: fail only this search.
		ps.err = fmt.Errorf("malformed search response: %w", err)
		m.complete(id, ps)
	}
	return nil
}

func (m *muxConn) complete(id int64, ps *pendingSearch) {
	m.smu.Lock()
	if m.pending[id] == ps {
		delete(m.pending, id)
		close(ps.done)
	}
	m.smu.Unlock()
}

// search sends one search and waits for its SearchResultDone, ctx, or timeout. When ctx ends
// first the connection is closed, as for every other request (see ldapConn.do); on timeout the
// search is abandoned and the connection stays usable.
func (m *muxConn) search(ctx context.Context, req *SearchRequest, timeout time.Duration, closeConn func()) (*SearchPage, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	f, err := ldap.CompileFilter(req.Filter)
	if err != nil {
		return nil, convert(err)
	}
	id := m.nextID.Add(1)
	if id > 1<<31-2 { // messageID is 0..2^31-1 (RFC 4511 §4.1.1.1)
		m.nextID.Store(muxFirstID)
		id = m.nextID.Add(1)
	}
	ps := &pendingSearch{done: make(chan struct{})}
	m.smu.Lock()
	if m.err != nil {
		m.smu.Unlock()
		return nil, m.err
	}
	m.pending[id] = ps
	m.smu.Unlock()
	if _, err := m.Write(encodeSearch(id, req, f.Bytes())); err != nil {
		m.drop(id)
		return nil, err
	}
	var expire <-chan time.Time
	if timeout > 0 {
		t := time.NewTimer(timeout)
		defer t.Stop()
		expire = t.C
	}
	select {
	case <-ps.done:
		return ps.page, ps.err
	case <-ctx.Done():
		closeConn()
		return nil, ctx.Err()
	case <-expire:
		if m.drop(id) {
			_, _ = m.Write(encodeAbandon(m.nextID.Add(1), id))
			return nil, fmt.Errorf("search timed out after %v", timeout)
		}
		<-ps.done // completed just now
		return ps.page, ps.err
	}
}

// drop forgets a pending search; false when it had already completed.
func (m *muxConn) drop(id int64) bool {
	m.smu.Lock()
	defer m.smu.Unlock()
	if _, ok := m.pending[id]; !ok {
		return false
	}
	delete(m.pending, id)
	return true
}

// startTLS performs the StartTLS extended operation (RFC 4511 §4.14) on a fresh connection,
// before any other message, and returns the server's answer (nil, or a *ResultError).
func startTLS(conn net.Conn) error {
	if _, err := conn.Write(encodeStartTLS(1)); err != nil {
		return err
	}
	var hdr [6]byte
	_, n, err := readHeader(conn, &hdr)
	if err != nil {
		return unexpectedEOF(err)
	}
	content := make([]byte, n)
	if _, err := io.ReadFull(conn, content); err != nil {
		return unexpectedEOF(err)
	}
	id, tag, op, _, err := splitMessage(content)
	if err != nil {
		return err
	}
	if tag != tagExtendedResp || (id != 1 && id != 0) {
		return fmt.Errorf("%w: unexpected answer (tag 0x%02x, id %d) to StartTLS", errBER, tag, id)
	}
	res, err := parseResult(op)
	if err != nil {
		return err
	}
	return res
}
