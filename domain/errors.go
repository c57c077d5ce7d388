package domain

import (
	"errors"
	"fmt"
)

// Code classifies a business failure. The values are the GraphQL ErrorCode
// enum's names, so that the API maps them one to one.
type Code string

// The codes a domain Error carries.
const (
	CodeValidation          Code = "VALIDATION"
	CodeNotFound            Code = "NOT_FOUND"
	CodeDuplicate           Code = "DUPLICATE"
	CodeInsufficientStock   Code = "INSUFFICIENT_STOCK"
	CodeVersionConflict     Code = "VERSION_CONFLICT"
	CodeIdempotencyConflict Code = "IDEMPOTENCY_CONFLICT"
	CodeInvalidState        Code = "INVALID_STATE"
)

// Error is a business failure: the caller asked for something the rules do
// not allow. Nothing was written when one is returned. Field names the input
// field at fault, as a path of GraphQL input names, when there is one.
type Error struct {
	Code    Code
	Field   []string
	Message string
}

// Error returns the message, prefixed with the code.
func (e *Error) Error() string {
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

// Is makes errors.Is(err, &Error{Code: c}) match any Error with code c.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code && t.Message == "" && t.Field == nil
}

func newError(code Code, field string, format string, args ...any) *Error {
	e := &Error{Code: code, Message: fmt.Sprintf(format, args...)}
	if field != "" {
		e.Field = []string{"input", field}
	}
	return e
}

// ErrNotFound matches, with errors.Is, every NOT_FOUND Error.
var ErrNotFound = &Error{Code: CodeNotFound}

// ErrInsufficientStock matches, with errors.Is, every INSUFFICIENT_STOCK Error.
var ErrInsufficientStock = &Error{Code: CodeInsufficientStock}

// ErrValidation matches, with errors.Is, every VALIDATION Error.
var ErrValidation = &Error{Code: CodeValidation}

// AsError returns the business Error within err, if there is one.
func AsError(err error) (*Error, bool) {
	var e *Error
	if errors.As(err, &e) {
		return e, true
	}
	return nil, false
}

// CodeOf returns the code of the business Error within err, or "" when err is
// not a business failure.
func CodeOf(err error) Code {
	if e, ok := AsError(err); ok {
		return e.Code
	}
	return ""
}

// wrap adds context to an error from the database, but returns a business
// Error as it is, so that its message reaches the caller unprefixed.
func wrap(err error, what string) error {
	if _, ok := AsError(err); ok || err == nil {
		return err
	}
	return fmt.Errorf("%s: %w", what, err)
}
