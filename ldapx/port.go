package ldapx

import (
	"context"
	"strconv"
	"strings"
)

// Conn is the small directory interface the Client depends on: one page of a search, and the
// three write operations. Dial returns one backed by go-ldap; ldapxtest.NewDirectory returns an
// in-memory one. Implementations return *ResultError for LDAP result codes other than success,
// and must be safe for concurrent use: a Client requests the next page of a search while its
// caller still reads the current one, and may read ranged values in between.
type Conn interface {
	// Search performs one page of a search (RFC 2696 paged results when PageSize > 0) and returns
	// its entries, referrals and the cookie for the next page (empty after the last page).
	Search(ctx context.Context, req *SearchRequest) (*SearchPage, error)
	Add(ctx context.Context, req *AddRequest) error
	Modify(ctx context.Context, req *ModifyRequest) error
	ModifyDN(ctx context.Context, req *ModifyDNRequest) error
	// Encrypted reports whether the connection is protected by TLS (LDAPS or StartTLS).
	Encrypted() bool
	Close() error
}

// Scope is an LDAP search scope.
type Scope int

// The LDAP search scopes.
const (
	ScopeBase Scope = iota
	ScopeOne
	ScopeSub
)

// SearchRequest is one search: base, scope, filter (RFC 4515 text), attributes, and paging.
type SearchRequest struct {
	BaseDN     string
	Scope      Scope
	Filter     string
	Attributes []string
	PageSize   int    // 0: no paging control
	Cookie     []byte // the previous page's cookie; nil for the first page
}

// SearchPage is one page of results.
type SearchPage struct {
	Entries   []Entry
	Referrals []string
	Cookie    []byte // empty when there are no more pages
}

// Entry is one directory entry with raw attribute values.
type Entry struct {
	DN         string
	Attributes []Attribute
}

// Attribute is one attribute with its raw values. Name is as the server returned it (it may
// carry options such as ";range=0-1499").
type Attribute struct {
	Name   string
	Values [][]byte
}

// Get returns the values of the attribute named name (case-insensitive, options ignored), or nil.
func (e *Entry) Get(name string) [][]byte {
	for i := range e.Attributes {
		if attrBaseEqual(e.Attributes[i].Name, name) {
			return e.Attributes[i].Values
		}
	}
	return nil
}

// First returns the first value of the attribute as a string, or "".
func (e *Entry) First(name string) string {
	if v := e.Get(name); len(v) > 0 {
		return string(v[0])
	}
	return ""
}

func attrBaseEqual(full, name string) bool {
	base, _, _ := strings.Cut(full, ";")
	return strings.EqualFold(base, name)
}

// AddRequest adds an entry.
type AddRequest struct {
	DN         string
	Attributes []Attribute
}

// ModOp is the kind of one modification.
type ModOp int

// The LDAP modify operations.
const (
	ModAdd ModOp = iota
	ModDelete
	ModReplace
)

// Modification is one change of a modify request. A ModDelete with no values deletes the
// attribute; with values it deletes exactly those (and fails with noSuchAttribute when one is
// absent, which is how preconditions are checked).
type Modification struct {
	Op     ModOp
	Name   string
	Values [][]byte
}

// ModifyRequest applies its changes atomically, in order.
type ModifyRequest struct {
	DN      string
	Changes []Modification
}

// ModifyDNRequest renames or moves an entry.
type ModifyDNRequest struct {
	DN           string
	NewRDN       string
	DeleteOldRDN bool
	NewSuperior  string // "" keeps the parent
}

// ResultCode is an LDAP result code (RFC 4511 §4.1.9).
type ResultCode uint16

// The result codes this package interprets.
const (
	ResultSuccess                ResultCode = 0
	ResultOperationsError        ResultCode = 1
	ResultProtocolError          ResultCode = 2
	ResultTimeLimitExceeded      ResultCode = 3
	ResultSizeLimitExceeded      ResultCode = 4
	ResultStrongAuthRequired     ResultCode = 8
	ResultReferral               ResultCode = 10
	ResultAdminLimitExceeded     ResultCode = 11
	ResultNoSuchAttribute        ResultCode = 16
	ResultUndefinedAttributeType ResultCode = 17
	ResultConstraintViolation    ResultCode = 19
	ResultAttributeOrValueExists ResultCode = 20
	ResultInvalidAttributeSyntax ResultCode = 21
	ResultNoSuchObject           ResultCode = 32
	ResultInvalidDNSyntax        ResultCode = 34
	ResultInvalidCredentials     ResultCode = 49
	ResultInsufficientAccess     ResultCode = 50
	ResultBusy                   ResultCode = 51
	ResultUnavailable            ResultCode = 52
	ResultUnwillingToPerform     ResultCode = 53
	ResultNamingViolation        ResultCode = 64
	ResultObjectClassViolation   ResultCode = 65
	ResultNotAllowedOnNonLeaf    ResultCode = 66
	ResultEntryAlreadyExists     ResultCode = 68
	ResultOther                  ResultCode = 80
)

var resultNames = map[ResultCode]string{
	0: "success", 1: "operationsError", 2: "protocolError", 3: "timeLimitExceeded",
	4: "sizeLimitExceeded", 8: "strongerAuthRequired", 10: "referral", 11: "adminLimitExceeded",
	16: "noSuchAttribute", 17: "undefinedAttributeType", 19: "constraintViolation",
	20: "attributeOrValueExists", 21: "invalidAttributeSyntax", 32: "noSuchObject",
	34: "invalidDNSyntax", 49: "invalidCredentials", 50: "insufficientAccessRights", 51: "busy",
	52: "unavailable", 53: "unwillingToPerform", 64: "namingViolation",
	65: "objectClassViolation", 66: "notAllowedOnNonLeaf", 68: "entryAlreadyExists", 80: "other",
}

// String returns the RFC 4511 name, e.g. "noSuchObject".
func (c ResultCode) String() string {
	if n, ok := resultNames[c]; ok {
		return n
	}
	return "resultCode(" + strconv.Itoa(int(c)) + ")"
}

// ResultError is an LDAP result other than success, as a Conn reports it.
type ResultError struct {
	Code    ResultCode
	Message string // the server's diagnostic message
}

func (e *ResultError) Error() string {
	if e.Message == "" {
		return "LDAP " + e.Code.String()
	}
	return "LDAP " + e.Code.String() + ": " + e.Message
}
