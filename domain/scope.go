package domain

// Scope says on whose behalf a call runs: the tenant, whose rows alone it may
// see or change, and the actor recorded on every change it makes.
type Scope struct {
	TenantID string
	Actor    string
}
