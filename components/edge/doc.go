// Package edge puts the service under its own domain: a TLS certificate validated through DNS
// (Certificate), the DNS records that send the domain to the web tier (Edge), CloudFront in front
// of the load balancer with an S3 asset bucket (CDN), the WAF (Firewall), and origin.<domain>
// (Origin), the name CloudFront reaches the load balancer by, which fails over to a DR region's
// load balancer when the operator's switch says so. The certificate comes first, so that the web
// tier's load balancer can serve HTTPS with it; the records come last, pointing at what the web
// tier built.
package edge
