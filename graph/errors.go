package graph

import (
	"context"
	"errors"
	"slices"
	"unicode/utf8"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/inventory-backbone/inventory/domain"
	"github.com/inventory-backbone/inventory/internal/pg"
)

// userErrors splits a domain call's error: a business failure becomes the
// payload's userErrors, anything else stays an error (a top-level one).
func userErrors(err error) ([]*domain.Error, error) {
	if err == nil {
		return []*domain.Error{}, nil
	}
	if e, ok := domain.AsError(err); ok {
		return []*domain.Error{e}, nil
	}
	return nil, err
}

// queryError turns a business failure of a query into a top-level error whose
// extensions.code is the failure's code.
func queryError(ctx context.Context, err error) error {
	if e, ok := domain.AsError(err); ok {
		gerr := gqlerror.ErrorPathf(graphql.GetPath(ctx), "%s", e.Message)
		gerr.Extensions = map[string]any{"code": string(e.Code)}
		return gerr
	}
	return err
}

// CodeUnavailable is the extensions.code of an error caused by the database
// being unreachable or restarting: the request is safe to retry later.
const CodeUnavailable = "UNAVAILABLE"

// ErrorPresenter returns the server's error presenter: it keeps GraphQL
// errors as they are, gives input that does not decode the code VALIDATION,
// and hides the text of internal errors, which may name tables or hosts,
// behind a generic message with code INTERNAL, after handing them to
// logInternal. An error caused by the database being unreachable
// (pg.Unavailable) becomes UNAVAILABLE instead, and unavailable is called so
// that the HTTP edge can answer 503 with Retry-After. Every message is cut
// to MaxErrorMessageBytes.
func ErrorPresenter(logInternal func(ctx context.Context, err error), unavailable func(ctx context.Context, err error)) graphql.ErrorPresenterFunc {
	present := func(ctx context.Context, err error) *gqlerror.Error {
		var gerr *gqlerror.Error
		if errors.As(err, &gerr) && (gerr.Extensions["code"] != nil || gerr.Err == nil) {
			return graphql.DefaultErrorPresenter(ctx, err)
		}
		if e, ok := domain.AsError(err); ok {
			return queryError(ctx, e).(*gqlerror.Error)
		}
		if pg.Unavailable(err) {
			unavailable(ctx, err)
			out := gqlerror.ErrorPathf(graphql.GetPath(ctx), "the database is unavailable; retry later (with the same idempotency key)")
			out.Extensions = map[string]any{"code": CodeUnavailable}
			return out
		}
		if gerr != nil && inArguments(ctx, gerr) {
			out := *gerr
			out.Extensions = map[string]any{"code": string(domain.CodeValidation)}
			return &out
		}
		logInternal(ctx, err)
		out := gqlerror.ErrorPathf(graphql.GetPath(ctx), "internal error")
		out.Extensions = map[string]any{"code": CodeInternal}
		return out
	}
	return func(ctx context.Context, err error) *gqlerror.Error {
		out := present(ctx, err)
		out.Message = shortMessage(out.Message)
		return out
	}
}

// MaxErrorMessageBytes bounds an error's message: errors name the problem,
// and never echo a long input (a 100 KB variable the parser quotes back).
const MaxErrorMessageBytes = 300

// shortMessage cuts a message to MaxErrorMessageBytes, at a character
// boundary, marking the cut.
func shortMessage(m string) string {
	if len(m) <= MaxErrorMessageBytes {
		return m
	}
	cut := MaxErrorMessageBytes
	for cut > 0 && !utf8.RuneStart(m[cut]) {
		cut--
	}
	return m[:cut] + "… (cut)"
}

// inArguments reports whether gerr arose while gqlgen decoded the arguments
// of the field in ctx, rather than in its resolver. Variables are validated
// before execution, but that validation accepts some values that decoding
// then refuses: an enum value in another case ("viewer" for VIEWER), a Time
// that does not parse. Such an error is the client's input, and its path runs
// from the field into the argument (createApiKey.input.roles[1]); a
// resolver's error has the field's own path.
func inArguments(ctx context.Context, gerr *gqlerror.Error) bool {
	field := graphql.GetPath(ctx)
	return len(gerr.Path) > len(field) && slices.Equal(gerr.Path[:len(field)], field)
}
