// Package edge puts the service under its own domain: a TLS certificate validated through DNS
// (Certificate) and the DNS records that send the domain to the web tier (Edge). The certificate
// comes first, so that the web tier's load balancer can serve HTTPS with it; the records come last,
// pointing at what the web tier built. CloudFront and the WAF are to come.
package edge
