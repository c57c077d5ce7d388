package httpserver

import (
	"bytes"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"unicode/utf8"

	"github.com/inventory-backbone/inventory/internal/inputcheck"
)

// refuseMalformed refuses, with HTTP 400 and BAD_REQUEST, a GraphQL request
// that is not text a GraphQL server may read: a body or query string that is
// not valid UTF-8 (RFC 8259 requires it) or escapes a lone UTF-16 surrogate
// or a NUL, which decoding would silently turn into U+FFFD or PostgreSQL
// would refuse; and a JSON body that is not one GraphQL request object (a
// batch array, a string, a query that is not a string). Its answers name the
// problem and never repeat the request. It runs after limitBody, which has
// read the body into memory.
func refuseMalformed(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if isWebSocketUpgrade(r) {
			next.ServeHTTP(w, r)
			return
		}
		if err := checkRequest(r); err != nil {
			writeGraphQLError(w, http.StatusBadRequest, "BAD_REQUEST", err.Error())
			return
		}
		next.ServeHTTP(w, r)
	})
}

func checkRequest(r *http.Request) error {
	for name, values := range r.URL.Query() {
		for _, v := range values {
			if err := inputcheck.CheckText([]byte(v)); err != nil {
				return fmt.Errorf("the query string's %s parameter %w", safeName(name), err)
			}
		}
	}
	if r.Method != http.MethodPost || r.Body == nil {
		return nil
	}
	mt, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	body, ok := r.Body.(*bufferedBody)
	if !ok {
		if mt == "multipart/form-data" {
			return checkStreamedMultipart(r, params["boundary"])
		}
		return nil
	}
	switch mt {
	case "application/json":
		if err := inputcheck.CheckText(body.data); err != nil {
			return fmt.Errorf("the request body %w", err)
		}
		return inputcheck.CheckRequestShape(body.data)
	case "multipart/form-data":
		return checkMultipart(body.data, params["boundary"])
	default:
		return nil // gqlgen refuses what it does not read
	}
}

// checkMultipart checks a GraphQL multipart request (a file upload, as the
// GraphQL multipart request specification frames it): its operations field
// like a JSON body, its map field as text. The files are not text this
// check can judge (a CSV import's parser checks its own encoding), so they
// are skipped, as is a body that is not well-formed multipart: gqlgen
// refuses it.
func checkMultipart(data []byte, boundary string) error {
	return checkMultipartFields(bytes.NewReader(data), boundary)
}

// checkMultipartFields reads multipart parts from r up to the first file and
// checks the operations and map fields among them.
func checkMultipartFields(r io.Reader, boundary string) error {
	if boundary == "" {
		return nil
	}
	mr := multipart.NewReader(r, boundary)
	for {
		part, err := mr.NextPart()
		if err != nil || part.FileName() != "" {
			// The end, not multipart (gqlgen answers), or a file: the
			// specification puts operations and map before the files.
			return nil
		}
		name := part.FormName()
		if name != "operations" && name != "map" {
			continue
		}
		field, err := io.ReadAll(part)
		if err != nil {
			return nil
		}
		if err := inputcheck.CheckText(field); err != nil {
			return fmt.Errorf("the multipart field %s %w", safeName(name), err)
		}
		if name == "operations" {
			if err := inputcheck.CheckRequestShape(field); err != nil {
				return err
			}
		}
	}
}

// checkStreamedMultipart checks an upload that limitBody streams rather than
// buffers. The multipart request specification puts the operations and map
// fields before the files, so it reads the body only up to the first file
// (at most MaxBodyBytes), checks those fields, and gives the handler a body
// that replays what it read before the rest of the stream.
func checkStreamedMultipart(r *http.Request, boundary string) error {
	if boundary == "" {
		return nil
	}
	var seen bytes.Buffer
	rest := r.Body
	defer func() { r.Body = readCloser{io.MultiReader(&seen, rest), rest} }()
	return checkMultipartFields(io.TeeReader(io.LimitReader(rest, MaxBodyBytes), &seen), boundary)
}

// readCloser reads from one reader and closes another.
type readCloser struct {
	io.Reader
	io.Closer
}

// safeName returns a parameter's name when it is short, printable text, and
// a stand-in otherwise, so that an error never echoes a long name.
func safeName(name string) string {
	if len(name) > 32 || !utf8.ValidString(name) {
		return "(unnamed)"
	}
	return fmt.Sprintf("%q", name)
}

// bufferedBody is a request body that limitBody has read into memory.
type bufferedBody struct {
	*bytes.Reader
	data []byte
}

func newBufferedBody(data []byte) *bufferedBody {
	return &bufferedBody{Reader: bytes.NewReader(data), data: data}
}

// Close does nothing: the body is in memory.
func (*bufferedBody) Close() error { return nil }
