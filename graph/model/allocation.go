package model

import "github.com/inventory-backbone/inventory/domain"

// AllocationLine is one location's share of an allocation. Its location is
// resolved through the request's loader.
type AllocationLine struct {
	LocationID  string
	Available   int64
	Quantity    int64
	Reservation *domain.Reservation
}
