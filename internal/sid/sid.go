// Package sid converts a binary security identifier (objectSid, MS-DTYP 2.4.2.2) to its text
// form, S-1-5-21-…: the one conversion the LDIF reader, the LDAP adapter and validation share.
package sid

import (
	"encoding/binary"
	"strconv"
)

// Text returns the S-R-I-S… text of the binary SID b, or "" and a message that says what is
// wrong with it (too short, a revision other than 1, a length that does not fit its count of
// sub-authorities). It allocates only the result.
func Text[T string | []byte](b T) (string, string) {
	if len(b) < 8 {
		return "", strconv.Itoa(len(b)) + " bytes is too short for a binary SID"
	}
	if b[0] != 1 {
		return "", "SID revision " + strconv.Itoa(int(b[0])) + " (want 1)"
	}
	n := int(b[1])
	if len(b) != 8+4*n {
		return "", strconv.Itoa(len(b)) + " bytes for " + strconv.Itoa(n) + " sub-authorities (want " + strconv.Itoa(8+4*n) + ")"
	}
	var auth uint64
	for i := 2; i < 8; i++ {
		auth = auth<<8 | uint64(b[i]) // the identifier authority is big-endian
	}
	var buf [96]byte // the usual SID (5 sub-authorities) fits; a longer one grows out
	out := append(buf[:0], "S-1-"...)
	out = strconv.AppendUint(out, auth, 10)
	var sub [4]byte
	for i := 8; i < len(b); i += 4 {
		copy(sub[:], b[i:i+4])
		out = append(out, '-')
		out = strconv.AppendUint(out, uint64(binary.LittleEndian.Uint32(sub[:])), 10) // sub-authorities are little-endian
	}
	return string(out), ""
}
