package domain_test

import (
	"net/netip"
	"testing"

	"github.com/inventory-backbone/inventory/domain"
)

func TestPublicAddress(t *testing.T) {
	for _, c := range []struct {
		addr   string
		public bool
	}{
		{"93.184.215.14", true},
		{"2606:2800:21f:cb07:6820:80da:af6b:8b2c", true},
		{"::ffff:93.184.215.14", true},
		{"64:ff9b::5db8:d70e", true}, // NAT64 of 93.184.215.14
		{"2002:5db8:d70e::1", true},  // 6to4 of 93.184.215.14
		{"127.0.0.1", false},
		{"10.1.2.3", false},
		{"169.254.169.254", false},
		{"0.0.0.0", false},
		{"255.255.255.255", false},
		{"::1", false},
		{"::", false},
		{"fd00:ec2::254", false},
		{"fe80::1", false},
		{"::ffff:127.0.0.1", false},
		// A zone is never public, whatever the address: netip.Prefix.Contains
		// is false for every zoned address.
		{"::1%lo", false},
		{"fe80::1%eth0", false},
		{"fd00::2%eth0", false},
		{"::ffff:127.0.0.1%lo", false},
		{"2606:2800:21f:cb07:6820:80da:af6b:8b2c%eth0", false},
		// IPv4 carried inside IPv6 is judged as IPv4.
		{"64:ff9b::7f00:1", false},     // NAT64 of 127.0.0.1
		{"64:ff9b::a9fe:a9fe", false},  // NAT64 of 169.254.169.254
		{"::7f00:1", false},            // IPv4-compatible 127.0.0.1
		{"::a9fe:a9fe", false},         // IPv4-compatible 169.254.169.254
		{"2002:7f00:1::", false},       // 6to4 of 127.0.0.1
		{"2002:a9fe:a9fe::1", false},   // 6to4 of 169.254.169.254
		{"2002:c0a8:101:1::1", false},  // 6to4 of 192.168.1.1
		{"2001:0:4136:e378::1", false}, // Teredo
		{"ff02::1", false},             // multicast
		{"2001:db8::1", false},         // documentation
		{"192.0.2.1", false},           // documentation (TEST-NET-1)
		{"198.51.100.7", false},        // documentation (TEST-NET-2)
		{"203.0.113.9", false},         // documentation (TEST-NET-3)
		{"64:ff9b::cb00:7109", false},  // NAT64 of 203.0.113.9
	} {
		if got := domain.PublicAddress(netip.MustParseAddr(c.addr)); got != c.public {
			t.Errorf("PublicAddress(%s) = %v, want %v", c.addr, got, c.public)
		}
	}
	if domain.PublicAddress(netip.Addr{}) {
		t.Error("the zero address is public")
	}
}
