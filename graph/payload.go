package graph

import (
	"time"

	"github.com/inventory-backbone/inventory/domain"
	"github.com/inventory-backbone/inventory/graph/model"
)

// stockChangePayload maps the outcome of a stock operation to its payload.
func stockChangePayload(change *domain.StockChange, err error) (*model.StockChangePayload, error) {
	errs, err := userErrors(err)
	if err != nil {
		return nil, err
	}
	p := &model.StockChangePayload{UserErrors: errs, Movements: movements(change), StockLevels: levels(change)}
	if change != nil && len(change.Transfers) > 0 {
		p.Transfer = &change.Transfers[0]
	}
	return p, nil
}

// reservationPayload maps the outcome of a reservation operation.
func reservationPayload(change *domain.StockChange, err error) (*model.ReservationPayload, error) {
	errs, err := userErrors(err)
	if err != nil {
		return nil, err
	}
	p := &model.ReservationPayload{UserErrors: errs, Movements: movements(change)}
	if change != nil {
		if len(change.Reservations) > 0 {
			p.Reservation = &change.Reservations[0]
		}
		if len(change.Levels) > 0 {
			p.StockLevel = &change.Levels[0]
		}
	}
	return p, nil
}

// allocationPayload maps the outcome of an allocation.
func allocationPayload(change *domain.StockChange, err error) (*model.AllocationPayload, error) {
	errs, err := userErrors(err)
	if err != nil {
		return nil, err
	}
	p := &model.AllocationPayload{UserErrors: errs, Movements: movements(change),
		Allocations: []*model.AllocationLine{}, Reservations: []*domain.Reservation{}}
	if change == nil {
		p.StockLevels = []*domain.Level{}
		return p, nil
	}
	for i := range change.Reservations {
		p.Reservations = append(p.Reservations, &change.Reservations[i])
	}
	touched := map[string]bool{}
	for i, a := range change.Allocations {
		p.AllocatedQuantity += a.Quantity
		touched[a.LocationID] = true
		line := &model.AllocationLine{LocationID: a.LocationID, Available: a.Available, Quantity: a.Quantity}
		if i < len(p.Reservations) {
			line.Reservation = p.Reservations[i]
		}
		p.Allocations = append(p.Allocations, line)
	}
	p.StockLevels = []*domain.Level{}
	for i := range change.Levels {
		if touched[change.Levels[i].LocationID] {
			p.StockLevels = append(p.StockLevels, &change.Levels[i])
		}
	}
	return p, nil
}

// transferPayload maps the outcome of a transfer operation.
func transferPayload(change *domain.StockChange, err error) (*model.TransferPayload, error) {
	errs, err := userErrors(err)
	if err != nil {
		return nil, err
	}
	p := &model.TransferPayload{UserErrors: errs, Movements: movements(change), StockLevels: levels(change)}
	if change != nil && len(change.Transfers) > 0 {
		p.Transfer = &change.Transfers[0]
	}
	return p, nil
}

func movements(change *domain.StockChange) []*domain.Movement {
	out := []*domain.Movement{}
	if change != nil {
		for i := range change.Movements {
			out = append(out, &change.Movements[i])
		}
	}
	return out
}

func levels(change *domain.StockChange) []*domain.Level {
	out := []*domain.Level{}
	if change != nil {
		for i := range change.Levels {
			out = append(out, &change.Levels[i])
		}
	}
	return out
}

// settingsModel maps a tenant's settings.
func settingsModel(s *domain.TenantSettings) *model.TenantSettings {
	if s == nil {
		return nil
	}
	m := &model.TenantSettings{TenantID: s.TenantID, Name: s.Name}
	if s.DefaultReservationTTL != nil {
		secs := int64(*s.DefaultReservationTTL / time.Second)
		m.DefaultReservationTTLSeconds = &secs
	}
	return m
}
