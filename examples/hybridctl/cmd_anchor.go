package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"unicode/utf8"
	"unsafe"

	"github.com/hybridid/hybridid/anchor"
)

func init() {
	register(&command{
		name:    "anchor",
		summary: "convert a source anchor between GUID, ImmutableID, hex, connector DN and LDAP filter forms",
		usage: `anchor [--from auto|guid|immutableid|hex|dn|ldapfilter] [--json] [VALUE...]

Values come from the arguments, or one per line from stdin when there are none. Text output is
one line per value, objectGUID<TAB>immutableID; --json writes one JSON object per line with every
form. A value that does not parse is reported (on stderr, or as {"input":…,"error":…} with --json)
and the others are still converted; the exit status is then 1. On stdin, blank lines are skipped
and surrounding spaces, tabs and CR are trimmed. Under --from auto, 32 hex digits are refused as
ambiguous: say --from hex (AD wire order) or --from guid (a GUID without dashes).

hex also reads the space-separated pairs of the Attribute Editor (22 44 E7 8B …), guid reads any
case with or without braces, and ldapfilter the escaped value of an LDAP filter (\22\44\e7…).
A connector-space DN of a cloud-sourced object (its hex spells User_<object id>) has no AD
anchor: it prints cloud<TAB>type<TAB>object id, or with --json
{"input":…,"cloudAnchor":"User_…","objectType":"User","objectId":…,"dn":…}.`,
		run: runAnchor,
	})
}

func runAnchor(ctx context.Context, e *env, args []string) int {
	fs := newFlagSet("anchor")
	from := fs.String("from", "auto", "input form: auto, guid, immutableid, hex, dn or ldapfilter")
	asJSON := fs.Bool("json", false, "one JSON object per line")
	values, err := parseInterleaved(fs, args)
	if err != nil {
		return usageError(e, "anchor", err.Error())
	}
	form, err := anchor.ParseForm(*from)
	if err != nil {
		return usageError(e, "anchor", fmt.Sprintf("--from %q: want auto, guid, immutableid, hex, dn or ldapfilter", *from))
	}
	c := &anchorConverter{form: form, json: *asJSON, out: bufio.NewWriterSize(e.stdout, 256<<10), errw: e.stderr}
	if len(values) > 0 {
		for i, v := range values {
			c.convert([]byte(v), -(i + 1))
		}
	} else if err := c.stream(ctx, e.stdin); err != nil {
		c.out.Flush()
		return failure(e, "anchor", err)
	}
	if err := c.out.Flush(); err != nil {
		return failure(e, "anchor", err)
	}
	if c.failed > 0 {
		if c.json {
			fmt.Fprintf(e.stderr, "hybridctl anchor: %d of %d values did not parse\n", c.failed, c.total)
		}
		return 1
	}
	return 0
}

// anchorConverter converts values one at a time into a reused buffer, so that streaming
// millions of lines allocates nothing per valid line.
type anchorConverter struct {
	form          anchor.Form
	json          bool
	out           *bufio.Writer
	errw          io.Writer
	total, failed int
}

// maxLine bounds one stdin line; a longer line is reported and skipped, memory stays constant.
const maxLine = 64 << 10

func (c *anchorConverter) stream(ctx context.Context, r io.Reader) error {
	br := bufio.NewReaderSize(r, maxLine)
	for n := 1; ; n++ {
		line, err := br.ReadSlice('\n')
		if err == bufio.ErrBufferFull {
			c.lineError(line[:64], n, "line longer than 64 KiB")
			for err == bufio.ErrBufferFull {
				_, err = br.ReadSlice('\n')
			}
			if err == io.EOF {
				return nil
			}
			continue
		}
		if len(line) > 0 {
			if v := trimLine(line); len(v) > 0 {
				c.convert(v, n)
			}
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("reading stdin at line %d: %w", n, err)
		}
		if n&0xfff == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
	}
}

func trimLine(b []byte) []byte {
	for len(b) > 0 && (b[len(b)-1] == '\n' || b[len(b)-1] == '\r' || b[len(b)-1] == ' ' || b[len(b)-1] == '\t') {
		b = b[:len(b)-1]
	}
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t') {
		b = b[1:]
	}
	return b
}

// convert converts one value; pos is its stdin line number, or minus its argument number.
func (c *anchorConverter) convert(v []byte, pos int) {
	c.total++
	// The parser does not keep its input (its errors copy it), so v's bytes may be viewed as a
	// string without a copy for the call.
	s := unsafe.String(unsafe.SliceData(v), len(v))
	if (c.form == anchor.FormAuto || c.form == anchor.FormConnectorDN) && len(s) > anchor.ConnectorDNLen &&
		(s[0] == 'C' || s[0] == 'c') && (s[1] == 'N' || s[1] == 'n') && s[2] == '=' {
		if ca, err := anchor.ParseCloudConnectorDN(s); err == nil {
			c.cloud(v, ca)
			return
		}
	}
	g, err := anchor.ParseAs(c.form, s)
	if err != nil {
		msg := err.Error()
		if errors.Is(err, anchor.ErrAmbiguous) {
			// The library names its functions; the command names its flags.
			msg = strconv.Quote(s) + ": 32 hex digits are either wire-order hex or a GUID without dashes; " +
				"say which with --from hex or --from guid"
		}
		c.lineError(v, pos, msg)
		return
	}
	// Append straight into the writer's free buffer: no copy when it fits.
	b := c.out.AvailableBuffer()
	if c.json {
		b = appendAnchorJSON(b, v, g)
	} else {
		b = g.AppendGUID(b)
		b = append(b, '\t')
		b = g.AppendImmutableID(b)
		b = append(b, '\n')
	}
	c.out.Write(b)
}

// cloud writes the line of a cloud-sourced object's connector-space DN.
func (c *anchorConverter) cloud(v []byte, ca anchor.CloudAnchor) {
	b := c.out.AvailableBuffer()
	if c.json {
		b = append(b, `{"input":`...)
		b = appendJSONString(b, v)
		b = append(b, `,"cloudAnchor":"`...)
		b, _ = ca.AppendText(b)
		b = append(b, `","objectType":"`...)
		b = append(b, ca.Type().String()...)
		b = append(b, `","objectId":"`...)
		b = ca.AppendObjectID(b)
		b = append(b, `","dn":"`...)
		b = ca.AppendConnectorDN(b)
		b = append(b, "\"}\n"...)
	} else {
		b = append(b, "cloud\t"...)
		b = append(b, ca.Type().String()...)
		b = append(b, '\t')
		b = ca.AppendObjectID(b)
		b = append(b, '\n')
	}
	c.out.Write(b)
}

// hexPairs holds the two hex digits of every byte, lower case in [0] and upper case in [1].
var hexPairs = func() (t [2][256][2]byte) {
	const lower, upper = "0123456789abcdef", "0123456789ABCDEF"
	for i := range 256 {
		t[0][i] = [2]byte{lower[i>>4], lower[i&0xf]}
		t[1][i] = [2]byte{upper[i>>4], upper[i&0xf]}
	}
	return t
}()

// The fixed part of a --json object after "input", with the offsets where each form goes.
const (
	jsonTail = `,"objectGUID":"` + "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" +
		`","immutableID":"` + "xxxxxxxxxxxxxxxxxxxxxxxx" +
		`","hex":"` + "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" +
		`","dn":"CN={` + "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" +
		`}","ldapFilter":"` + "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" + "\"}\n"
	offGUID   = len(`,"objectGUID":"`)
	offID     = offGUID + 36 + len(`","immutableID":"`)
	offHex    = offID + 24 + len(`","hex":"`)
	offDN     = offHex + 32 + len(`","dn":"CN={`)
	offFilter = offDN + 48 + len(`}","ldapFilter":"`)
)

// appendAnchorJSON appends the --json object of one converted value. The fixed part is filled
// in place in a stack array (the ImmutableID is computed once and the connector DN derived from
// it), then appended in one copy: this is the hot loop of bulk conversion.
func appendAnchorJSON(b, input []byte, g anchor.ObjectGUID) []byte {
	b = append(b, `{"input":`...)
	b = appendJSONString(b, input)
	t := [len(jsonTail)]byte([]byte(jsonTail))
	raw := g.Bytes()
	lower, upper := &hexPairs[0], &hexPairs[1]
	j := offGUID
	for i, w := range [16]int{3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15} {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			j++ // the dash is already in place
		}
		p := lower[raw[w]]
		t[j], t[j+1] = p[0], p[1]
		j += 2
	}
	var id [anchor.ImmutableIDLen]byte
	g.AppendImmutableID(id[:0])
	copy(t[offID:], id[:])
	for i, c := range raw {
		p := lower[c]
		t[offHex+2*i], t[offHex+2*i+1] = p[0], p[1]
		t[offFilter+4*i], t[offFilter+4*i+1], t[offFilter+4*i+2], t[offFilter+4*i+3] = '\\', '\\', p[0], p[1]
	}
	for i, c := range id {
		p := upper[c]
		t[offDN+2*i], t[offDN+2*i+1] = p[0], p[1]
	}
	return append(b, t[:]...)
}

func (c *anchorConverter) lineError(v []byte, pos int, msg string) {
	c.failed++
	if c.json {
		b := append(c.out.AvailableBuffer(), `{"input":`...)
		b = appendJSONString(b, v)
		b = append(b, `,"error":`...)
		b = appendJSONString(b, []byte(msg))
		b = append(b, "}\n"...)
		c.out.Write(b)
		return
	}
	// Keep stdout and stderr in order for a reader watching both.
	c.out.Flush()
	where := "stdin line " + strconv.Itoa(pos)
	if pos < 0 {
		where = "argument " + strconv.Itoa(-pos)
	}
	fmt.Fprintf(c.errw, "hybridctl anchor: %s: %s\n", where, msg)
}

// appendJSONString appends s as a JSON string. Printable ASCII takes a fast path, with '"' and
// '\\' (escaped LDAP filter values) escaped in place; anything else (control characters, HTML
// characters, non-ASCII, invalid UTF-8) goes through encoding/json.
func appendJSONString(b, s []byte) []byte {
	for _, ch := range s {
		if ch < 0x20 || ch >= 0x7f || ch == '<' || ch == '>' || ch == '&' {
			if !utf8.Valid(s) {
				s = []byte(string([]rune(string(s)))) // replaces invalid bytes with U+FFFD
			}
			q, _ := json.Marshal(string(s))
			return append(b, q...)
		}
	}
	b = append(b, '"')
	for _, ch := range s {
		if ch == '"' || ch == '\\' {
			b = append(b, '\\')
		}
		b = append(b, ch)
	}
	return append(b, '"')
}
