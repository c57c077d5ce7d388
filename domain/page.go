package domain

import (
	"encoding/base64"
	"strings"
)

// Page limits: a client gets DefaultPageSize rows when it does not say, and
// never more than MaxPageSize in one request.
const (
	DefaultPageSize = 50
	MaxPageSize     = 250
)

// PageRequest asks for up to First rows after the row the cursor After names.
type PageRequest struct {
	First *int64
	After *string
}

// Page is one page of a list, in the list's order.
type Page[T any] struct {
	Rows        []T
	Cursors     []string
	HasNextPage bool
}

// limit returns the number of rows to return.
func (p PageRequest) limit() (int, error) {
	if p.First == nil {
		return DefaultPageSize, nil
	}
	n := int(*p.First)
	if *p.First < 0 || *p.First > MaxPageSize {
		return 0, &Error{Code: CodeValidation, Field: []string{"first"},
			Message: "first must be between 0 and 250"}
	}
	return n, nil
}

// cursor decodes After for a list whose cursors carry the given prefix. It
// returns "" when there is no cursor.
func (p PageRequest) cursor(prefix string) (string, error) {
	if p.After == nil || *p.After == "" {
		return "", nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(*p.After)
	if err != nil || !strings.HasPrefix(string(raw), prefix+":") {
		return "", &Error{Code: CodeValidation, Field: []string{"after"},
			Message: "after is not a cursor of this list"}
	}
	return strings.TrimPrefix(string(raw), prefix+":"), nil
}

func encodeCursor(prefix, value string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(prefix + ":" + value))
}

// parse returns the number of rows to return and the decoded cursor (""
// for none) of a list whose cursors carry the given prefix.
func (p PageRequest) parse(prefix string) (limit int, after string, err error) {
	if limit, err = p.limit(); err != nil {
		return 0, "", err
	}
	after, err = p.cursor(prefix)
	return limit, after, err
}

// makePage trims rows fetched with limit+1 to limit and works out the cursors.
func makePage[T any](rows []T, limit int, prefix string, key func(T) string) *Page[T] {
	p := &Page[T]{}
	if len(rows) > limit {
		rows = rows[:limit]
		p.HasNextPage = true
	}
	p.Rows = rows
	p.Cursors = make([]string, len(rows))
	for i, r := range rows {
		p.Cursors[i] = encodeCursor(prefix, key(r))
	}
	return p
}
