package ldapxtest

import (
	"bufio"
	"crypto/tls"
	"encoding/pem"
	"io"
	"net"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
)

// EchoServer is an ldaps:// server that fails every bind with invalidCredentials and a
// diagnostic message that echoes the bind request back, password included, with a terminal
// escape sequence in it: the behaviour of a careless proxy or gateway. It is for tests that show
// no secret and no control character from a server reaches an error or any output.
type EchoServer struct {
	URL    string // ldaps://127.0.0.1:PORT
	CAFile string // PEM of the certificate the server presents (valid for 127.0.0.1)
	ln     net.Listener
}

// StartEchoServer starts an EchoServer; it stops when the test ends.
func StartEchoServer(tb testing.TB) *EchoServer {
	tb.Helper()
	// httptest's certificate is valid for 127.0.0.1; borrow it.
	hs := httptest.NewUnstartedServer(nil)
	hs.StartTLS()
	cert := hs.TLS.Certificates[0]
	caPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: hs.Certificate().Raw})
	hs.Close()
	ca := filepath.Join(tb.TempDir(), "echo-ca.pem")
	if err := os.WriteFile(ca, caPEM, 0o600); err != nil {
		tb.Fatal(err)
	}
	ln, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{cert}})
	if err != nil {
		tb.Fatal(err)
	}
	s := &EchoServer{URL: "ldaps://" + ln.Addr().String(), CAFile: ca, ln: ln}
	tb.Cleanup(func() { ln.Close() })
	go s.serve()
	return s
}

func (s *EchoServer) serve() {
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return
		}
		go s.conn(c)
	}
}

// conn answers BindRequests; it closes the connection on anything else.
func (s *EchoServer) conn(c net.Conn) {
	defer c.Close()
	r := bufio.NewReader(c)
	for {
		tag, msg, err := readTLV(r)
		if err != nil || tag != 0x30 {
			return
		}
		id, rest, ok := cut(msg, 0x02)
		if !ok {
			return
		}
		op, _, ok := cut(rest, 0x60) // BindRequest
		if !ok {
			return
		}
		_, op, _ = cut(op, 0x02) // version
		dn, op, _ := cut(op, 0x04)
		pw, _, _ := cut(op, 0x80) // simple authentication
		diag := "80090308: LdapErr: DSID-0C09056B, comment: AcceptSecurityContext error, data 52e, v4563 " +
			"\x1b[31mbind as " + string(dn) + " with password " + string(pw) + " failed\x1b[0m"
		resp := tlv(0x0a, []byte{49}) // invalidCredentials
		resp = append(resp, tlv(0x04, nil)...)
		resp = append(resp, tlv(0x04, []byte(diag))...)
		out := append(tlv(0x02, id), tlv(0x61, resp)...)
		if _, err := c.Write(tlv(0x30, out)); err != nil {
			return
		}
	}
}

func readTLV(r *bufio.Reader) (byte, []byte, error) {
	var h [2]byte
	if _, err := io.ReadFull(r, h[:]); err != nil {
		return 0, nil, err
	}
	n := int(h[1])
	if n&0x80 != 0 {
		k := n & 0x7f
		if k == 0 || k > 3 {
			return 0, nil, io.ErrUnexpectedEOF
		}
		n = 0
		for range k {
			b, err := r.ReadByte()
			if err != nil {
				return 0, nil, err
			}
			n = n<<8 | int(b)
		}
	}
	buf := make([]byte, n)
	_, err := io.ReadFull(r, buf)
	return h[0], buf, err
}

// cut splits the first element of b, which must have tag want, into its content and the rest.
func cut(b []byte, want byte) (content, rest []byte, ok bool) {
	if len(b) < 2 || b[0] != want {
		return nil, nil, false
	}
	n, i := int(b[1]), 2
	if n&0x80 != 0 {
		k := n & 0x7f
		if k == 0 || k > 3 || len(b) < 2+k {
			return nil, nil, false
		}
		n = 0
		for _, c := range b[2 : 2+k] {
			n = n<<8 | int(c)
		}
		i = 2 + k
	}
	if n > len(b)-i {
		return nil, nil, false
	}
	return b[i : i+n], b[i+n:], true
}

func tlv(tag byte, content []byte) []byte {
	n := len(content)
	var out []byte
	switch {
	case n < 0x80:
		out = []byte{tag, byte(n)}
	case n < 0x100:
		out = []byte{tag, 0x81, byte(n)}
	default:
		out = []byte{tag, 0x82, byte(n >> 8), byte(n)}
	}
	return append(out, content...)
}
