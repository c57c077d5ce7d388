package httpserver

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/inventory-backbone/inventory/graph"
)

// Limits on what one request may ask for.
const (
	MaxBodyBytes    = 512 << 10 // a request body
	MaxParserTokens = 5_000     // tokens in one query document
	MaxDepth        = 12        // nesting of selections
	MaxComplexity   = 5_000     // cost, per the schema's cost model
	MaxFields       = 500       // fields in one selection set (each alias counts)
	MaxTypeFields   = 10        // __type fields in one operation

	// MaxDocuments bounds the parsed and validated documents kept, by
	// query text, in an LRU cache shared by every tenant (see documents).
	MaxDocuments = 1000

	// MaxPersistedQueries bounds the automatic persisted queries kept, in an
	// LRU cache shared by every tenant (a hash names only query text, which
	// a client must have had to send it).
	MaxPersistedQueries = 1000
)

// graphQLHandler assembles gqlgen's server with the transports and the limits
// that protect it.
func (s *Server) graphQLHandler() http.Handler {
	srv := handler.New(graph.NewSchema(&graph.Resolver{Store: s.Store, Hub: s.Hub, Accounts: s.Accounts}))
	srv.AddTransport(s.websocketTransport())
	srv.AddTransport(transport.Options{})
	// GraphQL over HTTP as its specification (and the graphql-http audit)
	// asks: see graphql_http.go.
	srv.AddTransport(specTransport{transport.GET{}})
	srv.AddTransport(specTransport{transport.POST{}})
	// File uploads (startImport): kept in memory up to 32 MiB, beyond that
	// in temporary files, never beyond the import size cap.
	srv.AddTransport(transport.MultipartForm{MaxUploadSize: s.uploadBytes(), MaxMemory: 32 << 20})
	srv.SetQueryCache(s.documents)
	srv.SetParserTokenLimit(MaxParserTokens)
	srv.Use(extension.Introspection{})
	// Automatic persisted queries come first, so that every limit below
	// sees the query they supply.
	srv.Use(extension.AutomaticPersistedQuery{Cache: lru.New[string](MaxPersistedQueries)})
	srv.Use(requireQuery{})
	srv.Use(graph.SelectionLimit{MaxFields: MaxFields, MaxTokens: MaxParserTokens, Validated: s.documents})
	srv.Use(graph.DepthLimit(MaxDepth))
	srv.Use(graph.IntrospectionLimit{MaxTypeFields: MaxTypeFields})
	srv.Use(extension.FixedComplexityLimit(MaxComplexity))
	srv.SetErrorPresenter(graph.ErrorPresenter(func(ctx context.Context, err error) {
		s.logger.ErrorContext(ctx, "internal error", "request_id", requestIDFrom(ctx), "error", err.Error())
	}, func(ctx context.Context, err error) {
		s.logger.WarnContext(ctx, "database unavailable", "request_id", requestIDFrom(ctx), "error", err.Error())
		markUnavailable(ctx)
	}))
	srv.SetRecoverFunc(func(ctx context.Context, p any) error {
		s.logger.ErrorContext(ctx, "panic in resolver", "panic", fmt.Sprint(p), "request_id", requestIDFrom(ctx))
		return errors.New("internal error")
	})
	srv.AroundOperations(func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
		name := operationName(graphql.GetOperationContext(ctx))
		if info := requestInfoFrom(ctx); info != nil {
			info.setOperation(name)
		}
		ctx, span := startSpan(ctx, "graphql "+name)
		defer span.End()
		return next(ctx)
	})
	srv.AroundOperations(s.shareSubscription)
	srv.AroundRootFields(func(ctx context.Context, next graphql.RootResolver) graphql.Marshaler {
		fc := graphql.GetRootFieldContext(ctx)
		name := string(graphql.GetOperationContext(ctx).Operation.Operation) + "." + fc.Field.Name
		ctx, span := startSpan(ctx, name)
		defer span.End()
		start := time.Now()
		res := next(ctx)
		s.metrics.observeField(name, time.Since(start), len(graphql.GetFieldErrors(ctx, graphql.GetFieldContext(ctx))) > 0)
		return res
	})
	srv.AroundRootFields(s.limitTenantWrites)
	return srv
}

// newDocumentCache returns the cache of parsed and validated documents that
// gqlgen's executor fills (keyed by query text) and that the checks before it
// read: SelectionLimit skips a query found there, and the sign-in check of
// authenticate (peopleEdge.public) reads its root fields from it rather than
// parsing the query again.
func newDocumentCache() *lru.LRU[*ast.QueryDocument] {
	return lru.New[*ast.QueryDocument](MaxDocuments)
}

// uploadBytes bounds a multipart request: the largest import file plus room
// for the rest of the request.
func (s *Server) uploadBytes() int64 { return s.Store.ImportMaxBytes() + MaxBodyBytes }

// operationName names an operation for the log: the client's operation name,
// or else its kind and first root fields (e.g. "mutation shipStock").
func operationName(oc *graphql.OperationContext) string {
	if oc.OperationName != "" {
		return oc.OperationName
	}
	if oc.Operation == nil {
		return ""
	}
	if oc.Operation.Name != "" {
		return oc.Operation.Name
	}
	name := string(oc.Operation.Operation)
	for i, sel := range oc.Operation.SelectionSet {
		if i == 3 {
			return name + " …"
		}
		if f, ok := sel.(*ast.Field); ok {
			name += " " + f.Name
		}
	}
	return name
}
