// Package tenancy says who is calling: it verifies access tokens, holds the
// verified principal in the request context, and answers what its roles allow.
//
// The token names the tenant; nothing in a request body does. A principal
// never reaches the domain without a verified tenant that exists.
package tenancy
