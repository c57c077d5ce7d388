package domain

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

// cursor opens After, a cursor of the list lc reads. It returns "" when
// there is no cursor.
func (p PageRequest) cursor(lc listCursors) (string, error) {
	if p.After == nil || *p.After == "" {
		return "", nil
	}
	position, ok := lc.open(*p.After)
	if !ok {
		return "", &Error{Code: CodeValidation, Field: []string{"after"},
			Message: "after is not a cursor of this list"}
	}
	return position, nil
}

// parse returns the number of rows to return and the position After holds
// ("" for none) in the list lc reads.
func (p PageRequest) parse(lc listCursors) (limit int, after string, err error) {
	if limit, err = p.limit(); err != nil {
		return 0, "", err
	}
	after, err = p.cursor(lc)
	return limit, after, err
}

// makePage trims rows fetched with limit+1 to limit and seals the cursors of
// their positions.
func makePage[T any](rows []T, limit int, lc listCursors, key func(T) string) *Page[T] {
	p := &Page[T]{}
	if len(rows) > limit {
		rows = rows[:limit]
		p.HasNextPage = true
	}
	p.Rows = rows
	p.Cursors = make([]string, len(rows))
	for i, r := range rows {
		p.Cursors[i] = lc.seal(key(r))
	}
	return p
}
