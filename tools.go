//go:build tools

// This file pins the code generators the project runs, so that go.mod records
// their versions: go run github.com/99designs/gqlgen generate.
package main

import (
	_ "github.com/99designs/gqlgen"
)
