package domain_test

import (
	"context"
	"testing"

	"github.com/inventory-backbone/inventory/domain"
)

// transferFigures are a transfer's quantities and status.
type transferFigures struct {
	Quantity, Received, Damaged, Returned, Outstanding int64
	Status                                             domain.TransferStatus
}

func transferFiguresOf(tr *domain.Transfer) transferFigures {
	return transferFigures{Quantity: tr.Quantity, Received: tr.ReceivedQuantity, Damaged: tr.DamagedQuantity,
		Returned: tr.ReturnedQuantity, Outstanding: tr.OutstandingQuantity(), Status: tr.Status}
}

// wantTransfer compares both the transfer a change returned and the one
// stored now with want.
func (b *testBundle) wantTransfer(t *testing.T, step string, c *domain.StockChange, want transferFigures) {
	t.Helper()
	if len(c.Transfers) != 1 {
		t.Fatalf("%s: change has %d transfers, want 1", step, len(c.Transfers))
	}
	if got := transferFiguresOf(&c.Transfers[0]); got != want {
		t.Errorf("%s: returned transfer %+v, want %+v", step, got, want)
	}
	stored, err := b.store.TransferByID(context.Background(), b.sc, c.Transfers[0].ID)
	if err != nil {
		t.Fatalf("%s: read transfer: %v", step, err)
	}
	if got := transferFiguresOf(stored); got != want {
		t.Errorf("%s: stored transfer %+v, want %+v", step, got, want)
	}
}

// wantBothEnds asserts the levels at A and B, and that the units are all
// still accounted for: what is on hand at either end plus what is on its way
// to B equals total.
func (b *testBundle) wantBothEnds(t *testing.T, step string, a, bb levelFigures, total int64) {
	t.Helper()
	b.wantFigures(t, step, b.locA, a)
	b.wantFigures(t, step, b.locB, bb)
	la, lb := b.level(t, b.locA), b.level(t, b.locB)
	if sum := la.OnHand() + la.Incoming + lb.OnHand() + lb.Incoming; sum != total {
		t.Errorf("%s: on hand and incoming add up to %d, want %d", step, sum, total)
	}
}

// TestTransferInTransitWholeLife ships 12 from A to B, receives 5 good and 2
// damaged, refuses receipts of more than is on its way, receives 1 more,
// cancels (the last 4 return to A), and refuses to receive or cancel the
// cancelled transfer; then ships, receives in full and refuses a received
// transfer. Both ends are checked after every step.
func TestTransferInTransitWholeLife(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	b.receive(t, b.locA, 20)

	c, err := b.store.ShipTransfer(ctx, b.sc, b.item.ID, b.locA.ID, b.locB.ID, 12, domain.Meta{Reference: ptr("T-1")})
	if err != nil {
		t.Fatal(err)
	}
	tr := c.Transfers[0]
	if tr.ItemID != b.item.ID || tr.FromLocationID != b.locA.ID || tr.ToLocationID != b.locB.ID || tr.Reference == nil || *tr.Reference != "T-1" {
		t.Errorf("shipped transfer %+v", tr)
	}
	b.wantMovements(t, "ship 12", c, []string{"TRANSFER_OUT 12 AVAILABLE@A->IN_TRANSIT@B"})
	b.wantTransfer(t, "ship 12", c, transferFigures{Quantity: 12, Outstanding: 12, Status: domain.TransferInTransit})
	b.wantBothEnds(t, "ship 12", levelFigures{Available: 8, OnHand: 8}, levelFigures{Incoming: 12}, 20)

	c, err = b.store.ReceiveTransfer(ctx, b.sc, tr.ID, ptr[int64](5), 2, domain.Meta{})
	if err != nil {
		t.Fatal(err)
	}
	b.wantMovements(t, "receive 5 + 2 damaged", c, []string{
		"TRANSFER_IN 5 IN_TRANSIT@B->AVAILABLE@B",
		"TRANSFER_IN 2 IN_TRANSIT@B->DAMAGED@B",
	})
	b.wantTransfer(t, "receive 5 + 2 damaged", c, transferFigures{Quantity: 12, Received: 5, Damaged: 2, Outstanding: 5, Status: domain.TransferInTransit})
	b.wantBothEnds(t, "receive 5 + 2 damaged", levelFigures{Available: 8, OnHand: 8},
		levelFigures{Available: 5, Damaged: 2, Incoming: 5, OnHand: 7}, 20)

	before := b.counts(t)
	for _, bad := range []struct {
		name    string
		good    *int64
		damaged int64
	}{
		{"receive 6 of 5", ptr[int64](6), 0},
		{"receive 4 + 2 damaged of 5", ptr[int64](4), 2},
		{"receive the rest + 6 damaged of 5", nil, 6},
		{"receive 0 + 6 damaged of 5", ptr[int64](0), 6},
	} {
		_, err := b.store.ReceiveTransfer(ctx, b.sc, tr.ID, bad.good, bad.damaged, domain.Meta{IdempotencyKey: ptr(bad.name)})
		wantCode(t, bad.name, err, domain.CodeInvalidState, "quantity")
	}
	_, err = b.store.ReceiveTransfer(ctx, b.sc, tr.ID, ptr[int64](0), 0, domain.Meta{})
	wantCode(t, "receive nothing", err, domain.CodeValidation, "quantity")
	_, err = b.store.ReceiveTransfer(ctx, b.sc, tr.ID, ptr[int64](1), -1, domain.Meta{})
	wantCode(t, "receive -1 damaged", err, domain.CodeValidation, "damagedQuantity")
	b.assertUnchanged(t, "the refused receipts", before)

	c, err = b.store.ReceiveTransfer(ctx, b.sc, tr.ID, ptr[int64](1), 0, domain.Meta{})
	if err != nil {
		t.Fatal(err)
	}
	b.wantMovements(t, "receive 1", c, []string{"TRANSFER_IN 1 IN_TRANSIT@B->AVAILABLE@B"})
	b.wantTransfer(t, "receive 1", c, transferFigures{Quantity: 12, Received: 6, Damaged: 2, Outstanding: 4, Status: domain.TransferInTransit})
	b.wantBothEnds(t, "receive 1", levelFigures{Available: 8, OnHand: 8},
		levelFigures{Available: 6, Damaged: 2, Incoming: 4, OnHand: 8}, 20)

	c, err = b.store.CancelTransfer(ctx, b.sc, tr.ID, domain.Meta{})
	if err != nil {
		t.Fatal(err)
	}
	b.wantMovements(t, "cancel", c, []string{"TRANSFER_IN 4 IN_TRANSIT@B->AVAILABLE@A"})
	b.wantTransfer(t, "cancel", c, transferFigures{Quantity: 12, Received: 6, Damaged: 2, Returned: 4, Status: domain.TransferCancelled})
	b.wantBothEnds(t, "cancel", levelFigures{Available: 12, OnHand: 12},
		levelFigures{Available: 6, Damaged: 2, OnHand: 8}, 20)

	before = b.counts(t)
	_, err = b.store.ReceiveTransfer(ctx, b.sc, tr.ID, ptr[int64](1), 0, domain.Meta{})
	wantCode(t, "receive a CANCELLED transfer", err, domain.CodeInvalidState, "transferId")
	_, err = b.store.ReceiveTransfer(ctx, b.sc, tr.ID, nil, 0, domain.Meta{})
	wantCode(t, "receive the rest of a CANCELLED transfer", err, domain.CodeInvalidState, "transferId")
	_, err = b.store.CancelTransfer(ctx, b.sc, tr.ID, domain.Meta{})
	wantCode(t, "cancel a CANCELLED transfer", err, domain.CodeInvalidState, "transferId")
	b.assertUnchanged(t, "the refusals of a cancelled transfer", before)

	// A second transfer, received in full in one go (3 good, 1 damaged).
	c, err = b.store.ShipTransfer(ctx, b.sc, b.item.ID, b.locA.ID, b.locB.ID, 4, domain.Meta{})
	if err != nil {
		t.Fatal(err)
	}
	tr2 := c.Transfers[0]
	b.wantBothEnds(t, "ship 4", levelFigures{Available: 8, OnHand: 8},
		levelFigures{Available: 6, Damaged: 2, Incoming: 4, OnHand: 8}, 20)
	c, err = b.store.ReceiveTransfer(ctx, b.sc, tr2.ID, nil, 1, domain.Meta{})
	if err != nil {
		t.Fatal(err)
	}
	b.wantMovements(t, "receive the rest, 1 damaged", c, []string{
		"TRANSFER_IN 3 IN_TRANSIT@B->AVAILABLE@B",
		"TRANSFER_IN 1 IN_TRANSIT@B->DAMAGED@B",
	})
	b.wantTransfer(t, "receive the rest, 1 damaged", c, transferFigures{Quantity: 4, Received: 3, Damaged: 1, Status: domain.TransferReceived})
	b.wantBothEnds(t, "receive the rest, 1 damaged", levelFigures{Available: 8, OnHand: 8},
		levelFigures{Available: 9, Damaged: 3, OnHand: 12}, 20)

	before = b.counts(t)
	_, err = b.store.ReceiveTransfer(ctx, b.sc, tr2.ID, ptr[int64](1), 0, domain.Meta{})
	wantCode(t, "receive a RECEIVED transfer", err, domain.CodeInvalidState, "transferId")
	_, err = b.store.CancelTransfer(ctx, b.sc, tr2.ID, domain.Meta{})
	wantCode(t, "cancel a RECEIVED transfer", err, domain.CodeInvalidState, "transferId")
	b.assertUnchanged(t, "the refusals of a received transfer", before)
}

// TestShipTransferRefusals checks that shipping more than is available is
// INSUFFICIENT_STOCK, that a transfer to its own origin is VALIDATION, that a
// transfer that does not exist is NOT_FOUND, and that none writes anything.
func TestShipTransferRefusals(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	b.receive(t, b.locA, 5)
	before := b.counts(t)
	_, err := b.store.ShipTransfer(ctx, b.sc, b.item.ID, b.locA.ID, b.locB.ID, 6, domain.Meta{})
	wantCode(t, "ship 6 of 5", err, domain.CodeInsufficientStock, "quantity")
	_, err = b.store.ShipTransfer(ctx, b.sc, b.item.ID, b.locA.ID, b.locA.ID, 1, domain.Meta{})
	wantCode(t, "ship to the origin", err, domain.CodeValidation, "toLocationId")
	_, err = b.store.ReceiveTransfer(ctx, b.sc, "5f1c8a2e-0c3b-4d7e-9a41-2b6f0e9d3c13", nil, 0, domain.Meta{})
	wantCode(t, "receive a transfer that does not exist", err, domain.CodeNotFound, "transferId")
	_, err = b.store.CancelTransfer(ctx, b.sc, "5f1c8a2e-0c3b-4d7e-9a41-2b6f0e9d3c13", domain.Meta{})
	wantCode(t, "cancel a transfer that does not exist", err, domain.CodeNotFound, "transferId")
	b.assertUnchanged(t, "the refused transfers", before)
	b.wantBothEnds(t, "the refused transfers", levelFigures{Available: 5, OnHand: 5}, levelFigures{}, 5)
}

// TestChangeStateBetweenPhysicalStates moves stock between AVAILABLE,
// DAMAGED and QUALITY_CONTROL with exact figures, and checks the refusals:
// RESERVED or IN_TRANSIT on either side, the same state twice, and more than
// the from state holds.
func TestChangeStateBetweenPhysicalStates(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	b.receive(t, b.locA, 10)
	b.reserve(t, b.locA, 1, nil)

	steps := []struct {
		from, to domain.State
		quantity int64
		move     string
		want     levelFigures
	}{
		{domain.Available, domain.Damaged, 3, "STATE_CHANGE 3 AVAILABLE@A->DAMAGED@A",
			levelFigures{Available: 6, Reserved: 1, Damaged: 3, OnHand: 10}},
		{domain.Damaged, domain.QualityControl, 2, "STATE_CHANGE 2 DAMAGED@A->QUALITY_CONTROL@A",
			levelFigures{Available: 6, Reserved: 1, Damaged: 1, QualityControl: 2, OnHand: 10}},
		{domain.QualityControl, domain.Available, 1, "STATE_CHANGE 1 QUALITY_CONTROL@A->AVAILABLE@A",
			levelFigures{Available: 7, Reserved: 1, Damaged: 1, QualityControl: 1, OnHand: 10}},
		{domain.Available, domain.QualityControl, 4, "STATE_CHANGE 4 AVAILABLE@A->QUALITY_CONTROL@A",
			levelFigures{Available: 3, Reserved: 1, Damaged: 1, QualityControl: 5, OnHand: 10}},
		{domain.QualityControl, domain.Damaged, 5, "STATE_CHANGE 5 QUALITY_CONTROL@A->DAMAGED@A",
			levelFigures{Available: 3, Reserved: 1, Damaged: 6, OnHand: 10}},
		{domain.Damaged, domain.Available, 2, "STATE_CHANGE 2 DAMAGED@A->AVAILABLE@A",
			levelFigures{Available: 5, Reserved: 1, Damaged: 4, OnHand: 10}},
	}
	for _, s := range steps {
		c, err := b.store.ChangeState(ctx, b.sc, domain.StateChangeRequest{ItemID: b.item.ID, LocationID: b.locA.ID,
			Quantity: s.quantity, From: s.from, To: s.to}, domain.Meta{Reason: ptr("inspection")})
		if err != nil {
			t.Fatalf("%s: %v", s.move, err)
		}
		b.wantMovements(t, s.move, c, []string{s.move})
		if c.Movements[0].Reason == nil || *c.Movements[0].Reason != "inspection" {
			t.Errorf("%s: reason %v, want inspection", s.move, c.Movements[0].Reason)
		}
		b.wantFigures(t, s.move, b.locA, s.want)
	}

	before := b.counts(t)
	refusals := []struct {
		name     string
		from, to domain.State
		quantity int64
		code     domain.Code
		field    string
	}{
		{"RESERVED to AVAILABLE", domain.Reserved, domain.Available, 1, domain.CodeValidation, "fromState"},
		{"AVAILABLE to RESERVED", domain.Available, domain.Reserved, 1, domain.CodeValidation, "toState"},
		{"IN_TRANSIT to AVAILABLE", domain.InTransit, domain.Available, 1, domain.CodeValidation, "fromState"},
		{"AVAILABLE to IN_TRANSIT", domain.Available, domain.InTransit, 1, domain.CodeValidation, "toState"},
		{"DAMAGED to DAMAGED", domain.Damaged, domain.Damaged, 1, domain.CodeValidation, "toState"},
		{"unknown state", "LOST", domain.Available, 1, domain.CodeValidation, "fromState"},
		{"zero quantity", domain.Available, domain.Damaged, 0, domain.CodeValidation, "quantity"},
		{"6 AVAILABLE of 5", domain.Available, domain.Damaged, 6, domain.CodeInsufficientStock, "quantity"},
		{"5 DAMAGED of 4", domain.Damaged, domain.Available, 5, domain.CodeInsufficientStock, "quantity"},
		{"1 QUALITY_CONTROL of 0", domain.QualityControl, domain.Available, 1, domain.CodeInsufficientStock, "quantity"},
	}
	for _, r := range refusals {
		_, err := b.store.ChangeState(ctx, b.sc, domain.StateChangeRequest{ItemID: b.item.ID, LocationID: b.locA.ID,
			Quantity: r.quantity, From: r.from, To: r.to}, domain.Meta{})
		wantCode(t, r.name, err, r.code, r.field)
	}
	b.assertUnchanged(t, "the refused state changes", before)
	b.wantFigures(t, "after the refusals", b.locA, levelFigures{Available: 5, Reserved: 1, Damaged: 4, OnHand: 10})
}

// TestWriteOffDamagedAndQualityControlStock writes off damaged stock (the
// default) and quality-control stock, and checks that a write-off needs a
// reason, refuses AVAILABLE and RESERVED stock, and can't take more than
// there is.
func TestWriteOffDamagedAndQualityControlStock(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	b.receive(t, b.locA, 10)
	for _, s := range []struct {
		to domain.State
		q  int64
	}{{domain.Damaged, 4}, {domain.QualityControl, 2}} {
		if _, err := b.store.ChangeState(ctx, b.sc, domain.StateChangeRequest{ItemID: b.item.ID, LocationID: b.locA.ID,
			Quantity: s.q, From: domain.Available, To: s.to}, domain.Meta{}); err != nil {
			t.Fatal(err)
		}
	}
	b.wantFigures(t, "before the write-offs", b.locA, levelFigures{Available: 4, Damaged: 4, QualityControl: 2, OnHand: 10})

	c, err := b.store.WriteOff(ctx, b.sc, b.item.ID, b.locA.ID, 3, "", domain.Meta{Reason: ptr("crushed")})
	if err != nil {
		t.Fatal(err)
	}
	b.wantMovements(t, "write off 3 (default state)", c, []string{"ADJUSTMENT 3 DAMAGED@A->out"})
	if c.Movements[0].Reason == nil || *c.Movements[0].Reason != "crushed" {
		t.Errorf("write-off reason %v, want crushed", c.Movements[0].Reason)
	}
	b.wantFigures(t, "write off 3 damaged", b.locA, levelFigures{Available: 4, Damaged: 1, QualityControl: 2, OnHand: 7})

	c, err = b.store.WriteOff(ctx, b.sc, b.item.ID, b.locA.ID, 2, domain.QualityControl, domain.Meta{Reason: ptr("failed QC")})
	if err != nil {
		t.Fatal(err)
	}
	b.wantMovements(t, "write off 2 in QC", c, []string{"ADJUSTMENT 2 QUALITY_CONTROL@A->out"})
	b.wantFigures(t, "write off 2 in QC", b.locA, levelFigures{Available: 4, Damaged: 1, OnHand: 5})

	before := b.counts(t)
	_, err = b.store.WriteOff(ctx, b.sc, b.item.ID, b.locA.ID, 1, domain.Damaged, domain.Meta{})
	wantCode(t, "write-off without a reason", err, domain.CodeValidation, "reason")
	_, err = b.store.WriteOff(ctx, b.sc, b.item.ID, b.locA.ID, 1, domain.Damaged, domain.Meta{Reason: ptr("   ")})
	wantCode(t, "write-off with a blank reason", err, domain.CodeValidation, "reason")
	_, err = b.store.WriteOff(ctx, b.sc, b.item.ID, b.locA.ID, 1, domain.Available, domain.Meta{Reason: ptr("lost")})
	wantCode(t, "write-off of AVAILABLE", err, domain.CodeValidation, "fromState")
	_, err = b.store.WriteOff(ctx, b.sc, b.item.ID, b.locA.ID, 1, domain.Reserved, domain.Meta{Reason: ptr("lost")})
	wantCode(t, "write-off of RESERVED", err, domain.CodeValidation, "fromState")
	_, err = b.store.WriteOff(ctx, b.sc, b.item.ID, b.locA.ID, 2, "", domain.Meta{Reason: ptr("crushed")})
	wantCode(t, "write off 2 of 1 damaged", err, domain.CodeInsufficientStock, "quantity")
	_, err = b.store.WriteOff(ctx, b.sc, b.item.ID, b.locA.ID, 1, domain.QualityControl, domain.Meta{Reason: ptr("failed QC")})
	wantCode(t, "write off 1 of 0 in QC", err, domain.CodeInsufficientStock, "quantity")
	b.assertUnchanged(t, "the refused write-offs", before)
	b.wantFigures(t, "after the refusals", b.locA, levelFigures{Available: 4, Damaged: 1, OnHand: 5})
}
