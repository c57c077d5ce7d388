package domain

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"strings"
	"time"
)

// blockedPrefixes are the networks a webhook may not reach (unless private
// addresses are allowed): they lead into the service's own network rather
// than to an integrator on the internet.
var blockedPrefixes = func() []netip.Prefix {
	var out []netip.Prefix
	for _, s := range []string{
		"0.0.0.0/8",       // "this" network
		"10.0.0.0/8",      // private
		"100.64.0.0/10",   // carrier-grade NAT
		"127.0.0.0/8",     // loopback
		"169.254.0.0/16",  // link-local, cloud metadata (169.254.169.254)
		"172.16.0.0/12",   // private
		"192.0.0.0/24",    // IETF protocol assignments
		"192.168.0.0/16",  // private
		"192.0.2.0/24",    // documentation (TEST-NET-1)
		"198.51.100.0/24", // documentation (TEST-NET-2)
		"203.0.113.0/24",  // documentation (TEST-NET-3)
		"198.18.0.0/15",   // benchmarking
		"224.0.0.0/4",     // multicast
		"240.0.0.0/4",     // reserved, broadcast
		"::/128",          // unspecified
		"::1/128",         // loopback
		"64:ff9b:1::/48",  // local-use NAT64
		"fc00::/7",        // unique local, cloud metadata (fd00:ec2::254)
		"fe80::/10",       // link-local
		"ff00::/8",        // multicast
		"2001:db8::/32",   // documentation
		"2001::/32",       // Teredo: the IPv4 address it tunnels to is hidden
		"100::/64",        // discard
	} {
		out = append(out, netip.MustParsePrefix(s))
	}
	return out
}()

// PublicAddress reports whether a webhook may be delivered to ip: it is a
// global unicast address that is not loopback, private, link-local, a cloud
// metadata address or otherwise special. An address with a zone (fe80::1%eth0,
// ::1%lo) is never public: a zone names one of this machine's interfaces.
// IPv4 addresses written as IPv6 (IPv4-mapped, IPv4-compatible, NAT64 in
// 64:ff9b::/96, 6to4 in 2002::/16) are judged as the IPv4 address they carry.
func PublicAddress(ip netip.Addr) bool {
	if !ip.IsValid() || ip.Zone() != "" {
		return false
	}
	ip = ip.Unmap()
	if v4, ok := embeddedIPv4(ip); ok {
		ip = v4
	}
	if !ip.IsGlobalUnicast() {
		return false
	}
	for _, p := range blockedPrefixes {
		if p.Contains(ip) {
			return false
		}
	}
	return true
}

// Prefixes of IPv6 addresses that carry an IPv4 address.
var (
	nat64Prefix      = netip.MustParsePrefix("64:ff9b::/96") // well-known NAT64: the IPv4 address is the last 32 bits
	compatiblePrefix = netip.MustParsePrefix("::/96")        // IPv4-compatible (deprecated): the last 32 bits
	sixToFourPrefix  = netip.MustParsePrefix("2002::/16")    // 6to4: bits 16-47
)

// embeddedIPv4 returns the IPv4 address an IPv6 address carries, if it is a
// NAT64, IPv4-compatible or 6to4 address.
func embeddedIPv4(ip netip.Addr) (netip.Addr, bool) {
	if !ip.Is6() {
		return netip.Addr{}, false
	}
	b := ip.As16()
	switch {
	case nat64Prefix.Contains(ip), compatiblePrefix.Contains(ip):
		return netip.AddrFrom4([4]byte(b[12:16])), true
	case sixToFourPrefix.Contains(ip):
		return netip.AddrFrom4([4]byte(b[2:6])), true
	}
	return netip.Addr{}, false
}

// ErrPrivateAddress says a webhook's host is, or resolves to, an address it
// may not reach.
type ErrPrivateAddress struct {
	Host string
	IP   netip.Addr
}

func (e *ErrPrivateAddress) Error() string {
	if e.Host == e.IP.String() {
		return fmt.Sprintf("address %s is loopback, private, link-local or otherwise not public", e.IP)
	}
	return fmt.Sprintf("host %s resolves to %s, which is loopback, private, link-local or otherwise not public", e.Host, e.IP)
}

// Resolver looks up a host's addresses. net.DefaultResolver is one.
type Resolver interface {
	LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error)
}

// checkWebhookURL validates an endpoint's URL: absolute http or https, no
// credentials, and, unless private addresses are allowed, a host that is or
// resolves only to public addresses.
func checkWebhookURL(ctx context.Context, raw string, cfg *WebhookConfig) (string, error) {
	bad := func(format string, args ...any) error { return newError(CodeValidation, "url", format, args...) }
	raw = strings.TrimSpace(raw)
	if err := checkLen("url", raw, 2000); err != nil {
		return "", err
	}
	u, err := url.Parse(raw)
	if err != nil || !u.IsAbs() || u.Host == "" || u.Opaque != "" {
		return "", bad("url must be an absolute http or https URL")
	}
	if u.Scheme != "https" && u.Scheme != "http" {
		return "", bad("url must use http or https, not %q", u.Scheme)
	}
	if u.User != nil {
		return "", bad("url must not carry credentials")
	}
	if u.Fragment != "" {
		return "", bad("url must not have a fragment")
	}
	if cfg.AllowPrivate {
		return u.String(), nil
	}
	host := u.Hostname()
	if ip, err := netip.ParseAddr(host); err == nil {
		if !PublicAddress(ip) {
			return "", bad("url: %s", (&ErrPrivateAddress{Host: host, IP: ip.Unmap()}).Error())
		}
		return u.String(), nil
	}
	rctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	ips, err := cfg.resolver().LookupNetIP(rctx, "ip", host)
	if err != nil || len(ips) == 0 {
		return "", bad("url: host %s does not resolve", host)
	}
	for _, ip := range ips {
		if !PublicAddress(ip) {
			return "", bad("url: %s", (&ErrPrivateAddress{Host: host, IP: ip.Unmap()}).Error())
		}
	}
	return u.String(), nil
}

// resolver returns the configured resolver, or the system's.
func (c *WebhookConfig) resolver() Resolver {
	if c.Resolver != nil {
		return c.Resolver
	}
	return net.DefaultResolver
}
