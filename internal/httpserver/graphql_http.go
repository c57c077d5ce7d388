package httpserver

import (
	"bytes"
	"context"
	"encoding/json"
	"mime"
	"net/http"
	"strconv"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// This file makes gqlgen's HTTP transports answer requests that fail before
// execution as the GraphQL-over-HTTP specification asks, so that the audit
// of the npm package graphql-http passes without a warning:
//
//   - a request without a query (and without a persisted query's hash) is not
//     a GraphQL request: HTTP 400, code BAD_REQUEST;
//   - a document that does not parse or validate, or variables that do not
//     coerce, get HTTP 200 when the client accepts application/json (the
//     errors are in the body; gqlgen answers 422) and HTTP 400 when it
//     accepts application/graphql-response+json;
//   - under application/graphql-response+json such a response has no "data"
//     entry at all, since execution never began (gqlgen writes "data": null).

// codeBadRequest is the extensions.code of a request that is not a GraphQL
// request at all.
const codeBadRequest = "BAD_REQUEST"

// graphQLResponseJSON is the media type of the GraphQL-over-HTTP
// specification's own responses.
const graphQLResponseJSON = "application/graphql-response+json"

// specTransport wraps one of gqlgen's HTTP transports.
type specTransport struct {
	graphql.Transport
}

// Do serves the request with the wrapped transport, correcting the status and
// body of an answer that gqlgen gives before execution.
func (t specTransport) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	sw := &specWriter{ResponseWriter: w}
	t.Transport.Do(sw, r, exec)
	sw.finish()
}

// specWriter passes a successful response through as it is written. gqlgen
// calls WriteHeader only for responses that fail before execution; those are
// small, and specWriter holds them back to correct them in finish.
type specWriter struct {
	http.ResponseWriter
	held   bool
	status int
	body   bytes.Buffer
}

func (s *specWriter) WriteHeader(code int) {
	if s.held {
		return
	}
	s.held, s.status = true, code
}

func (s *specWriter) Write(b []byte) (int, error) {
	if s.held {
		return s.body.Write(b)
	}
	return s.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection.
func (s *specWriter) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// finish writes a held response, with the status and body the specification
// asks for.
func (s *specWriter) finish() {
	if !s.held {
		return
	}
	status, body := s.status, s.body.Bytes()
	mediaType, _, _ := mime.ParseMediaType(s.Header().Get("Content-Type"))
	var resp map[string]json.RawMessage
	if json.Unmarshal(body, &resp) == nil && resp["errors"] != nil {
		var errs []struct {
			Extensions struct {
				Code string `json:"code"`
			} `json:"extensions"`
		}
		_ = json.Unmarshal(resp["errors"], &errs)
		badRequest := false
		for _, e := range errs {
			badRequest = badRequest || e.Extensions.Code == codeBadRequest
		}
		switch {
		case badRequest:
			status = http.StatusBadRequest
		case status == http.StatusUnprocessableEntity && mediaType == graphQLResponseJSON:
			status = http.StatusBadRequest
		case status == http.StatusUnprocessableEntity:
			status = http.StatusOK
		}
		if mediaType == graphQLResponseJSON && status >= 400 && string(resp["data"]) == "null" {
			delete(resp, "data")
			if b, err := json.Marshal(resp); err == nil {
				body = b
			}
		}
	}
	s.Header().Set("Content-Length", strconv.Itoa(len(body)))
	s.ResponseWriter.WriteHeader(status)
	_, _ = s.ResponseWriter.Write(body)
}

// requireQuery is a handler extension that refuses a request that carries no
// query, once persisted queries have had their chance to supply it.
type requireQuery struct{}

var (
	_ graphql.HandlerExtension          = requireQuery{}
	_ graphql.OperationParameterMutator = requireQuery{}
)

// ExtensionName names the extension.
func (requireQuery) ExtensionName() string { return "RequireQuery" }

// Validate accepts any schema.
func (requireQuery) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationParameters refuses a request without a query.
func (requireQuery) MutateOperationParameters(_ context.Context, p *graphql.RawParams) *gqlerror.Error {
	if p.Query != "" {
		return nil
	}
	err := gqlerror.Errorf(`the request has no query: send {"query": "..."}`)
	err.Extensions = map[string]any{"code": codeBadRequest}
	return err
}
