module git.acme.dev/billing/api

go 1.22

require (
	github.com/prometheus/client_golang v1.19.0
	github.com/jackc/pgx/v5 v5.5.5
)
