package graph

import (
	"github.com/inventory-backbone/inventory/domain"
	"github.com/inventory-backbone/inventory/graph/model"
)

// stockChangePayload maps the outcome of a stock operation to its payload.
func stockChangePayload(change *domain.StockChange, err error) (*model.StockChangePayload, error) {
	errs, err := userErrors(err)
	if err != nil {
		return nil, err
	}
	p := &model.StockChangePayload{UserErrors: errs, Movements: []*domain.Movement{}, StockLevels: []*domain.Level{}}
	if change != nil {
		for i := range change.Movements {
			p.Movements = append(p.Movements, &change.Movements[i])
		}
		for i := range change.Levels {
			p.StockLevels = append(p.StockLevels, &change.Levels[i])
		}
	}
	return p, nil
}
