package domain

import (
	"slices"
	"sync"
)

// webhookMessageCacheSize is how many events' messages a process keeps
// built: enough for every endpoint of a busy tenant to find the events of
// its next batch already built by the first endpoint that read them.
const webhookMessageCacheSize = 4096

// webhookMessageCache keeps the messages of recent events, built once per
// process for every type, so that the endpoints that receive an event share
// its decoding and encoding: at 100 endpoints, that work is done once rather
// than a hundred times. An event never changes, so an entry is never stale;
// the oldest entries are forgotten first.
type webhookMessageCache struct {
	mu      sync.Mutex
	entries map[webhookCacheKey][]WebhookMessage
	ring    []webhookCacheKey // insertion order, to forget the oldest
	next    int
}

type webhookCacheKey struct {
	tenantID string
	cursor   FeedCursor
}

func newWebhookMessageCache(size int) *webhookMessageCache {
	return &webhookMessageCache{entries: make(map[webhookCacheKey][]WebhookMessage, size), ring: make([]webhookCacheKey, size)}
}

// messages returns the messages the event makes for an endpoint that wants
// the types, in the order they are sent, fc being the event's tenant's feed
// cursors. The messages' bodies are shared and must not be changed.
func (c *webhookMessageCache) messages(fc listCursors, e *Event, types []string) ([]WebhookMessage, error) {
	key := webhookCacheKey{e.TenantID, e.Cursor}
	c.mu.Lock()
	all, ok := c.entries[key]
	c.mu.Unlock()
	if !ok {
		var err error
		if all, err = webhookMessages(fc, e, []string{WebhookAllTypes}); err != nil {
			return nil, err
		}
		c.mu.Lock()
		if _, ok := c.entries[key]; !ok {
			delete(c.entries, c.ring[c.next])
			c.entries[key], c.ring[c.next] = all, key
			c.next = (c.next + 1) % len(c.ring)
		}
		c.mu.Unlock()
	}
	if slices.Contains(types, WebhookAllTypes) {
		return slices.Clone(all), nil
	}
	out := make([]WebhookMessage, 0, len(all))
	for _, m := range all {
		if slices.Contains(types, m.Type) {
			out = append(out, m)
		}
	}
	return out, nil
}
