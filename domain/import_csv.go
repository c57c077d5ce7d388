package domain

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// importSchema is the columns an import kind takes, by their names in the
// header.
type importSchema struct {
	required, optional []string
}

var importSchemas = map[ImportKind]importSchema{
	ImportItems:       {required: []string{"sku", "name"}, optional: []string{"unit", "reorderPoint", "barcode"}},
	ImportStockCounts: {required: []string{"sku", "locationCode", "countedQuantity"}},
}

func (s importSchema) all() []string { return append(append([]string{}, s.required...), s.optional...) }

// csvHeader maps each column the file has to its position.
type csvHeader map[string]int

// cell returns the trimmed value of a column in a record, "" when the file
// has no such column.
func (h csvHeader) cell(rec []string, column string) string {
	i, ok := h[column]
	if !ok || i >= len(rec) {
		return ""
	}
	return strings.TrimSpace(rec[i])
}

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// fileError is a VALIDATION Error about the file as a whole.
func fileError(format string, args ...any) *Error {
	return newError(CodeValidation, "file", format, args...)
}

// checkCSV checks what can be checked of a file without reading its rows:
// that it is UTF-8 text (a byte-order mark is fine), separated by commas,
// with a header row naming the kind's columns and no other. It returns the
// header.
func checkCSV(kind ImportKind, content []byte) (csvHeader, error) {
	schema := importSchemas[kind]
	content = bytes.TrimPrefix(content, utf8BOM)
	switch {
	case len(bytes.TrimSpace(content)) == 0:
		return nil, fileError("the file is empty: it needs a header row (%s) and rows", strings.Join(schema.required, ","))
	case bytes.HasPrefix(content, []byte("PK\x03\x04")):
		return nil, fileError("the file is a spreadsheet (.xlsx or .ods), not CSV: save it as \"CSV UTF-8\" and upload that")
	case bytes.HasPrefix(content, []byte{0xFF, 0xFE}) || bytes.HasPrefix(content, []byte{0xFE, 0xFF}):
		return nil, fileError("the file is UTF-16 text: save it as \"CSV UTF-8\" and upload that")
	case bytes.IndexByte(content, 0) >= 0:
		return nil, fileError("the file holds binary data (NUL bytes), not CSV text")
	}
	if !utf8.Valid(content) {
		line := 1 + bytes.Count(content[:firstInvalidUTF8(content)], []byte("\n"))
		return nil, fileError("line %d is not UTF-8 text: save the file as \"CSV UTF-8\" (not Latin-1 or Windows-1252) and upload that", line)
	}
	r := csv.NewReader(bytes.NewReader(content))
	r.FieldsPerRecord = -1
	names, err := r.Read()
	if err != nil {
		return nil, fileError("the header row cannot be read as CSV: %s", csvProblem(err))
	}
	if len(names) == 1 {
		for _, d := range []string{";", "\t", "|"} {
			if strings.Contains(names[0], d) {
				return nil, fileError("the file separates columns with %q; use commas (\",\")", d)
			}
		}
	}
	known := map[string]string{}
	for _, c := range schema.all() {
		known[normalColumn(c)] = c
	}
	h := csvHeader{}
	for i, name := range names {
		col, ok := known[normalColumn(name)]
		switch {
		case strings.TrimSpace(name) == "":
			return nil, fileError("column %d of the header is empty; the columns of %s are %s", i+1, kind, strings.Join(schema.all(), ", "))
		case !ok:
			return nil, fileError("the header names an unknown column %q; the columns of %s are %s", truncate(strings.TrimSpace(name), 64), kind,
				strings.Join(schema.all(), ", "))
		}
		if _, dup := h[col]; dup {
			return nil, fileError("the header names column %q twice", col)
		}
		h[col] = i
	}
	for _, c := range schema.required {
		if _, ok := h[c]; !ok {
			return nil, fileError("the header lacks column %q; %s needs %s", c, kind, strings.Join(schema.required, ", "))
		}
	}
	return h, nil
}

// normalColumn folds a column name for matching: case, spaces, dashes and
// underscores do not matter ("Reorder point" is reorderPoint).
func normalColumn(s string) string {
	return strings.NewReplacer(" ", "", "_", "", "-", "").Replace(strings.ToLower(strings.TrimSpace(s)))
}

func firstInvalidUTF8(b []byte) int {
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size <= 1 {
			return i
		}
		i += size
	}
	return len(b)
}

// csvProblem describes a CSV parse error without its position prefix.
func csvProblem(err error) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// eachRow reads a checked file's rows after the header, calling fn with each
// row's line number and cells. A row the CSV reader cannot parse, or with
// another number of cells than the header, goes to bad instead. The record
// passed to fn is reused: copy what you keep.
func eachRow(content []byte, columns int, fn func(line int64, rec []string), bad func(ImportRowError)) error {
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(content, utf8BOM)))
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
	if _, err := r.Read(); err != nil {
		return fmt.Errorf("read header: %w", err)
	}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return nil
		}
		line, _ := r.FieldPos(0)
		if err != nil {
			var pe *csv.ParseError
			if !errors.As(err, &pe) {
				return fmt.Errorf("read row: %w", err)
			}
			bad(ImportRowError{Row: int64(pe.StartLine), Code: CodeValidation, Message: "the row cannot be read as CSV: " + csvProblem(err)})
			continue
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // a blank line
		}
		if len(rec) != columns {
			bad(ImportRowError{Row: int64(line), Code: CodeValidation,
				Message: fmt.Sprintf("the row has %d cells, the header %d", len(rec), columns)})
			continue
		}
		fn(int64(line), rec)
	}
}
