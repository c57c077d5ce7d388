package domain

import (
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"

	"golang.org/x/crypto/chacha20poly1305"
)

// cursorVersion is the first byte of every sealed cursor, so that the format
// can change without misreading old cursors.
const cursorVersion = 1

// cursorCodec seals list and feed positions into opaque cursors with
// authenticated encryption (XChaCha20-Poly1305, whose 192-bit random nonces
// never repeat in practice). The list's name and the tenant's id are the
// additional data: a cursor reveals nothing of the position it holds (a
// global sequence would tell a tenant how busy the others are), cannot be
// forged or altered, and opens only for the list and the tenant it was made
// for.
type cursorCodec struct {
	aead cipher.AEAD
	// tagKey keys tag, the stable names of positions.
	tagKey []byte
}

// newCursorCodec derives the cursor key from secret with HKDF-SHA256; every
// process given the same secret reads the others' cursors.
func newCursorCodec(secret []byte) (*cursorCodec, error) {
	key, err := hkdf.Key(sha256.New, secret, nil, "inventory cursor key v1", chacha20poly1305.KeySize)
	if err != nil {
		return nil, fmt.Errorf("derive cursor key: %w", err)
	}
	aead, err := chacha20poly1305.NewX(key)
	if err != nil {
		return nil, fmt.Errorf("cursor cipher: %w", err)
	}
	tagKey, err := hkdf.Key(sha256.New, secret, nil, "inventory position tag key v1", sha256.Size)
	if err != nil {
		return nil, fmt.Errorf("derive tag key: %w", err)
	}
	return &cursorCodec{aead: aead, tagKey: tagKey}, nil
}

// randomCursorCodec is the codec of a Store built without WithCursorSecret:
// its cursors open only in this process.
func randomCursorCodec() *cursorCodec {
	secret := make([]byte, 32)
	_, _ = rand.Read(secret)
	c, err := newCursorCodec(secret)
	if err != nil {
		panic(err) // a fixed-size key always derives
	}
	return c
}

func cursorAD(tenantID, list string) []byte {
	return []byte("inventory cursor\x00" + list + "\x00" + tenantID)
}

// seal makes the cursor of a position in a tenant's list, with a random
// nonce: the same position sealed twice gives two cursors.
func (c *cursorCodec) seal(tenantID, list, position string) string {
	nonce := make([]byte, chacha20poly1305.NonceSizeX)
	_, _ = rand.Read(nonce)
	return c.sealWith(nonce, tenantID, list, position)
}

// sealStable makes the cursor of a position in a tenant's list that is the
// same each time, in every process that shares the secret: its nonce is a
// keyed digest of the tenant, the list and the position (a synthetic
// nonce, as in SIV modes), so equal cursors mean equal positions and
// nothing else is revealed. Webhook messages carry such cursors, so that a
// message is the same in every attempt.
func (c *cursorCodec) sealStable(tenantID, list, position string) string {
	m := hmac.New(sha256.New, c.tagKey)
	m.Write([]byte("nonce\x00"))
	m.Write(cursorAD(tenantID, list))
	m.Write([]byte{0})
	m.Write([]byte(position))
	return c.sealWith(m.Sum(nil)[:chacha20poly1305.NonceSizeX], tenantID, list, position)
}

func (c *cursorCodec) sealWith(nonce []byte, tenantID, list, position string) string {
	out := make([]byte, 1, 1+len(nonce)+len(position)+chacha20poly1305.Overhead)
	out[0] = cursorVersion
	out = append(out, nonce...)
	out = c.aead.Seal(out, nonce, []byte(position), cursorAD(tenantID, list))
	return base64.RawURLEncoding.EncodeToString(out)
}

// open returns the position a cursor holds, and false when the cursor is not
// one this codec sealed for the tenant's list.
func (c *cursorCodec) open(tenantID, list, cursor string) (string, bool) {
	if len(cursor) > 512 {
		return "", false
	}
	raw, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil || len(raw) < 1+chacha20poly1305.NonceSizeX+chacha20poly1305.Overhead || raw[0] != cursorVersion {
		return "", false
	}
	nonce, sealed := raw[1:1+chacha20poly1305.NonceSizeX], raw[1+chacha20poly1305.NonceSizeX:]
	plain, err := c.aead.Open(nil, nonce, sealed, cursorAD(tenantID, list))
	if err != nil {
		return "", false
	}
	return string(plain), true
}

// tag names a position of a tenant's list stably: the same position always
// gets the same tag, in every process that shares the secret, and the tag
// (an HMAC-SHA256, cut to 128 bits) says nothing of the position. Where a
// cursor must differ each time it is made, a tag is for what must not: the
// id of a webhook message, the same in every attempt.
func (c *cursorCodec) tag(tenantID, list, position string) string {
	m := hmac.New(sha256.New, c.tagKey)
	m.Write(cursorAD(tenantID, list))
	m.Write([]byte{0})
	m.Write([]byte(position))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:16])
}

// listCursors makes and reads the cursors of one list of one tenant.
type listCursors struct {
	codec    *cursorCodec
	tenantID string
	list     string
}

// cursors returns the cursors of a tenant's list.
func (s *Store) cursors(sc Scope, list string) listCursors {
	return listCursors{codec: s.cursorCodec, tenantID: sc.TenantID, list: list}
}

func (l listCursors) seal(position string) string { return l.codec.seal(l.tenantID, l.list, position) }

func (l listCursors) sealStable(position string) string {
	return l.codec.sealStable(l.tenantID, l.list, position)
}

func (l listCursors) tag(position string) string { return l.codec.tag(l.tenantID, l.list, position) }

func (l listCursors) open(cursor string) (string, bool) {
	return l.codec.open(l.tenantID, l.list, cursor)
}

// WithCursorSecret sets the secret that cursors are sealed with. Processes
// that serve the same clients must share it, or a cursor one of them made
// is refused by the others; serve derives it from the token signing key.
// Without it, a Store seals with a random key of its own.
func WithCursorSecret(secret []byte) Option {
	return func(s *Store) {
		c, err := newCursorCodec(secret)
		if err != nil {
			panic(err) // hkdf.Key fails only for lengths it never gets here
		}
		s.cursorCodec = c
	}
}
