package domain

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"
)

// TestWebhookMessageCache checks that an event's messages, built once for
// every type and then filtered, are those built for the endpoint's types
// alone, whatever the order of the requests, and that the cache keeps no
// more than its size.
func TestWebhookMessageCache(t *testing.T) {
	event := func(id int64) *Event {
		payload, err := json.Marshal(StockChange{OperationID: "op", Operation: "expireReservation", Actor: "system",
			Levels: []Level{{ItemID: "i", LocationID: "l", Available: 3, Version: 7}}, Reservations: []Reservation{{ID: "r", ItemID: "i", LocationID: "l"}},
			CreatedAt: time.Unix(1700000000, 0).UTC()})
		if err != nil {
			t.Fatal(err)
		}
		return &Event{Cursor: FeedCursor{XID: 10, ID: id}, TenantID: "t", Kind: EventStockChanged, Payload: payload, CreatedAt: time.Unix(1700000000, 0)}
	}
	c := newWebhookMessageCache(2)
	fc := listCursors{codec: randomCursorCodec(), tenantID: "t", list: feedList}
	for _, types := range [][]string{{WebhookReservationExpired}, {WebhookAllTypes}, {WebhookStockChanged}, {WebhookAlertRaised},
		{WebhookReservationExpired, WebhookStockChanged}} {
		want, err := webhookMessages(fc, event(1), types)
		if err != nil {
			t.Fatal(err)
		}
		got, err := c.messages(fc, event(1), types)
		if err != nil {
			t.Fatal(err)
		}
		if len(want) != len(got) || len(want) > 0 && !reflect.DeepEqual(want, got) {
			t.Errorf("types %v: cached messages %+v, want %+v", types, got, want)
		}
	}
	if all, _ := c.messages(fc, event(1), []string{WebhookAllTypes}); len(all) != 2 {
		t.Fatalf("an expiry makes %d messages, want stock.changed and reservation.expired", len(all))
	}
	for id := int64(2); id <= 4; id++ {
		if _, err := c.messages(fc, event(id), []string{WebhookAllTypes}); err != nil {
			t.Fatal(err)
		}
	}
	if len(c.entries) != 2 {
		t.Fatalf("the cache keeps %d events, want its size, 2", len(c.entries))
	}
	for _, id := range []int64{3, 4} {
		if _, ok := c.entries[webhookCacheKey{"t", FeedCursor{XID: 10, ID: id}}]; !ok {
			t.Errorf("event %d, among the newest, was forgotten", id)
		}
	}
}
