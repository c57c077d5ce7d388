package httpserver

import (
	"net"
	"time"

	"golang.org/x/net/netutil"
)

// Timeouts bound how long one client may hold a connection: to send its
// request's headers, its whole request, to take the answer, and to stay idle
// between requests. A WebSocket is bound by them only until its upgrade.
type Timeouts struct {
	ReadHeader time.Duration
	Read       time.Duration
	Write      time.Duration
	Idle       time.Duration
}

// DefaultTimeouts are the serve command's. A request body may be 512 KB: 30
// seconds is 17 KB/s; an answer may be a report's CSV, hence the minute.
var DefaultTimeouts = Timeouts{
	ReadHeader: 5 * time.Second,
	Read:       30 * time.Second,
	Write:      60 * time.Second,
	Idle:       2 * time.Minute,
}

// orDefault fills what t leaves zero from DefaultTimeouts.
func (t Timeouts) orDefault() Timeouts {
	pick := func(v, d time.Duration) time.Duration {
		if v > 0 {
			return v
		}
		return d
	}
	return Timeouts{
		ReadHeader: pick(t.ReadHeader, DefaultTimeouts.ReadHeader),
		Read:       pick(t.Read, DefaultTimeouts.Read),
		Write:      pick(t.Write, DefaultTimeouts.Write),
		Idle:       pick(t.Idle, DefaultTimeouts.Idle),
	}
}

// limitConnections caps the connections open at once at max (none when max
// is zero): past it, a new connection waits in the kernel's accept queue
// until one closes, so a flood of idle or slow connections cannot exhaust
// the process's file descriptors or memory.
func limitConnections(ln net.Listener, max int) net.Listener {
	if max <= 0 {
		return ln
	}
	return netutil.LimitListener(ln, max)
}
