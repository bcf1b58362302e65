package ldapxtest

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Samba is a running throwaway Samba AD DC (docs/samba-test-dc.md). Its fields are what a
// client needs to reach it.
type Samba struct {
	URL         string // ldaps://127.0.0.1:636 (verified TLS against CAFile)
	StartTLSURL string // ldap://127.0.0.1:389 (use StartTLS)
	CAFile      string // PEM file of the test CA that issued the server certificate
	BindDN      string // the domain Administrator
	Password    string // the Administrator password (random per run; never print it)
	BaseDN      string // DC=corp,DC=example,DC=test
	Realm       string // CORP.EXAMPLE.TEST
	Domain      string // CORP (NetBIOS name, for NTLM binds)
	Dir         string // provisioning directory (deleted when the DC stops)
	// Startup is how long provisioning plus start-up took.
	Startup time.Duration

	cmd    *exec.Cmd
	exited chan error // receives the result of cmd.Wait once samba exits
	lock   *os.File
}

var (
	sharedMu  sync.Mutex
	shared    *Samba
	sharedErr error
)

// sambaLockFile serialises Samba DCs across test binaries: ports 389 and 636 on 127.0.0.1 are
// fixed, so only one DC can run on the machine at a time.
const sambaLockFile = "hybridid-samba.lock"

// StartSamba returns the test binary's shared Samba AD DC, provisioning and starting it on first
// use. One DC serves the whole test binary; tests that use it must not assume an empty
// directory (use unique OUs). When the samba binaries are missing the test is skipped, or fails
// when the environment has CI=true. Call SambaMain from TestMain so that the DC is stopped when
// the tests end; if the test binary dies instead, Samba notices its stdin closing and exits.
func StartSamba(tb testing.TB) *Samba {
	tb.Helper()
	samba, tool := findSamba()
	if samba == "" || tool == "" {
		msg := "Samba AD DC binaries (samba, samba-tool) not found; run scripts/install-samba"
		if os.Getenv("CI") == "true" {
			tb.Fatal(msg)
		}
		tb.Skip(msg)
	}
	sharedMu.Lock()
	defer sharedMu.Unlock()
	if shared == nil && sharedErr == nil {
		shared, sharedErr = startSamba(samba, tool)
	}
	if sharedErr != nil {
		tb.Fatalf("ldapxtest: starting Samba AD DC: %v", sharedErr)
	}
	return shared
}

// SambaMain runs the tests and then stops the shared Samba DC, if one was started. Use it as
//
//	func TestMain(m *testing.M) { os.Exit(ldapxtest.SambaMain(m)) }
func SambaMain(m *testing.M) int {
	code := m.Run()
	StopSamba()
	return code
}

// StopSamba stops the shared DC (if running) and removes its directory.
func StopSamba() {
	sharedMu.Lock()
	defer sharedMu.Unlock()
	if shared != nil {
		shared.stop()
	}
	shared, sharedErr = nil, nil
}

func findSamba() (samba, tool string) {
	look := func(name string) string {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
		for _, d := range []string{"/usr/sbin", "/usr/bin", "/usr/local/samba/sbin", "/usr/local/samba/bin"} {
			p := filepath.Join(d, name)
			if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
				return p
			}
		}
		return ""
	}
	return look("samba"), look("samba-tool")
}

func startSamba(sambaBin, toolBin string) (_ *Samba, err error) {
	begin := time.Now()
	lock, err := os.OpenFile(filepath.Join(os.TempDir(), sambaLockFile), os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX); err != nil {
		lock.Close()
		return nil, fmt.Errorf("locking %s: %w", lock.Name(), err)
	}
	s := &Samba{lock: lock, Realm: "CORP.EXAMPLE.TEST", Domain: "CORP", BaseDN: "DC=corp,DC=example,DC=test"}
	defer func() {
		if err != nil {
			s.stop()
		}
	}()
	for _, port := range []string{"389", "636"} {
		if c, err := net.DialTimeout("tcp", "127.0.0.1:"+port, time.Second); err == nil {
			c.Close()
			return nil, fmt.Errorf("port %s on 127.0.0.1 is already in use (another Samba or LDAP server is running)", port)
		}
	}
	s.Dir, err = os.MkdirTemp("", "hybridid-samba-")
	if err != nil {
		return nil, err
	}
	tlsDir := filepath.Join(s.Dir, "tls")
	if err := os.Mkdir(tlsDir, 0o700); err != nil {
		return nil, err
	}
	keyFile, certFile := filepath.Join(tlsDir, "key.pem"), filepath.Join(tlsDir, "cert.pem")
	s.CAFile = filepath.Join(tlsDir, "ca.pem")
	if err := writeTestPKI(s.CAFile, certFile, keyFile); err != nil {
		return nil, fmt.Errorf("making test certificates: %w", err)
	}
	var pw [12]byte
	if _, err := rand.Read(pw[:]); err != nil {
		return nil, err
	}
	s.Password = "Hy!d" + hex.EncodeToString(pw[:]) + "Zq9"
	s.BindDN = "CN=Administrator,CN=Users," + s.BaseDN
	s.URL = "ldaps://127.0.0.1:636"
	s.StartTLSURL = "ldap://127.0.0.1:389"

	target := filepath.Join(s.Dir, "dc")
	prov := exec.Command(toolBin, "domain", "provision",
		"--targetdir="+target, "--realm="+s.Realm, "--domain="+s.Domain, "--server-role=dc",
		"--dns-backend=NONE", "--use-rfc2307", "--adminpass="+s.Password,
		"--option=interfaces=lo", "--option=bind interfaces only=yes",
		// Only the LDAP server: no Kerberos (88), SMB (445), NetBIOS, DNS or RPC ports to clash with.
		"--option=server services = ldap",
		"--option=tls enabled=yes", "--option=tls keyfile="+keyFile,
		"--option=tls certfile="+certFile, "--option=tls cafile="+s.CAFile)
	var out bytes.Buffer
	prov.Stdout, prov.Stderr = &out, &out
	if err := prov.Run(); err != nil {
		return nil, fmt.Errorf("samba-tool domain provision: %v\n%s", err, strings.ReplaceAll(out.String(), s.Password, "<password>"))
	}

	logFile, err := os.Create(filepath.Join(s.Dir, "samba.log"))
	if err != nil {
		return nil, err
	}
	defer logFile.Close()
	s.cmd = exec.Command(sambaBin, "-s", filepath.Join(target, "etc", "smb.conf"), "-i", "-M", "single", "--debug-stdout")
	s.cmd.Stdout, s.cmd.Stderr = logFile, logFile
	// Samba in interactive mode exits when its stdin reaches EOF: the pipe closes when this
	// process dies, so the DC never outlives the test binary. Pdeathsig is a second guard.
	stdin, err := s.cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	_ = stdin // kept open by the exec.Cmd until the process is waited for
	s.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := s.cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting samba: %w", err)
	}
	exited := make(chan error, 1)
	s.exited = exited
	cmd := s.cmd
	go func() { exited <- cmd.Wait() }()
	if err := waitLDAPS(s.CAFile, exited); err != nil {
		log, _ := os.ReadFile(logFile.Name())
		if len(log) > 4000 {
			log = log[len(log)-4000:]
		}
		return nil, fmt.Errorf("%w\nsamba log (tail):\n%s", err, log)
	}
	s.Startup = time.Since(begin)
	return s, nil
}

// waitLDAPS waits until a verified TLS handshake with 127.0.0.1:636 succeeds.
func waitLDAPS(caFile string, exited <-chan error) error {
	pem, err := os.ReadFile(caFile)
	if err != nil {
		return err
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(pem)
	cfg := &tls.Config{RootCAs: pool, ServerName: "127.0.0.1", MinVersion: tls.VersionTLS12}
	deadline := time.Now().Add(90 * time.Second)
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	var last error
	for time.Now().Before(deadline) {
		d := &net.Dialer{Timeout: 2 * time.Second}
		c, err := tls.DialWithDialer(d, "tcp", "127.0.0.1:636", cfg)
		if err == nil {
			c.Close()
			return nil
		}
		last = err
		select {
		case err := <-exited:
			return fmt.Errorf("samba exited during start-up: %v", err)
		case <-tick.C:
		}
	}
	return fmt.Errorf("LDAPS on 127.0.0.1:636 did not answer within 90s: %v", last)
}

func (s *Samba) stop() {
	if s.cmd != nil && s.cmd.Process != nil {
		// Stop the whole process group (samba may have started helpers): politely, then for
		// good. The goroutine waiting on the command reaps it and reports on s.exited.
		pid := s.cmd.Process.Pid
		_ = syscall.Kill(-pid, syscall.SIGTERM)
		select {
		case <-s.exited:
		case <-time.After(5 * time.Second):
			_ = syscall.Kill(-pid, syscall.SIGKILL)
			select {
			case <-s.exited:
			case <-time.After(5 * time.Second):
			}
		}
		_ = syscall.Kill(-pid, syscall.SIGKILL) // any helper left in the group
		s.cmd = nil
	}
	if s.Dir != "" {
		os.RemoveAll(s.Dir)
		s.Dir = ""
	}
	if s.lock != nil {
		_ = syscall.Flock(int(s.lock.Fd()), syscall.LOCK_UN)
		s.lock.Close()
		s.lock = nil
	}
}

// writeTestPKI writes a throwaway CA and a server certificate for 127.0.0.1 and localhost.
func writeTestPKI(caFile, certFile, keyFile string) error {
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return err
	}
	now := time.Now()
	caTmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "hybridid test CA"},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(7 * 24 * time.Hour),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		return err
	}
	ca, err := x509.ParseCertificate(caDER)
	if err != nil {
		return err
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return err
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(2),
		Subject:      pkix.Name{CommonName: "localhost"},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.Add(7 * 24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
		DNSNames:     []string{"localhost"},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
	if err != nil {
		return err
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return err
	}
	write := func(name, typ string, der []byte, mode os.FileMode) error {
		f, err := os.OpenFile(name, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, mode)
		if err != nil {
			return err
		}
		err = pem.Encode(f, &pem.Block{Type: typ, Bytes: der})
		return errors.Join(err, f.Close())
	}
	return errors.Join(
		write(caFile, "CERTIFICATE", caDER, 0o644),
		write(certFile, "CERTIFICATE", der, 0o644),
		write(keyFile, "PRIVATE KEY", keyDER, 0o600))
}

var _ = io.Discard
