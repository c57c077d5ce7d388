package domain

import (
	"time"
)

// LevelKey names one stock level: an item at a location.
type LevelKey struct {
	ItemID     string
	LocationID string
}

// Level is the stock of one item at one location, one field per state. It is
// a projection of the ledger, maintained in the same transaction as every
// movement that changes it.
type Level struct {
	ItemID         string    `json:"itemId"`
	LocationID     string    `json:"locationId"`
	Available      int64     `json:"available"`
	Reserved       int64     `json:"reserved"`
	Damaged        int64     `json:"damaged"`
	QualityControl int64     `json:"qualityControl"`
	Incoming       int64     `json:"incoming"`
	Version        int64     `json:"version"`
	UpdatedAt      time.Time `json:"updatedAt"`
}

// Key returns the level's key.
func (l *Level) Key() LevelKey { return LevelKey{ItemID: l.ItemID, LocationID: l.LocationID} }

// OnHand is what is physically at the location: every state but in transit.
func (l *Level) OnHand() int64 {
	return l.Available + l.Reserved + l.Damaged + l.QualityControl
}

// Good is the sellable stock a physical count covers: available plus reserved.
func (l *Level) Good() int64 { return l.Available + l.Reserved }

// field returns the counter that holds a state.
func (l *Level) field(s State) *int64 {
	switch s {
	case Available:
		return &l.Available
	case Reserved:
		return &l.Reserved
	case Damaged:
		return &l.Damaged
	case QualityControl:
		return &l.QualityControl
	case InTransit:
		return &l.Incoming
	}
	panic("domain: unknown state " + string(s))
}

// negative returns the first state whose count is below zero, if any.
func (l *Level) negative() (State, bool) {
	for _, s := range []State{Available, Reserved, Damaged, QualityControl, InTransit} {
		if *l.field(s) < 0 {
			return s, true
		}
	}
	return "", false
}
