// Package webtier is tierstack's WebTier component: one app, described once (App), run on a single
// instance with an Elastic IP (mode instance, the 100 tier) or on an Auto Scaling group across the
// private subnets behind an Application Load Balancer (mode autoscaling, from 10k). The load
// balancer, its listener and target group keep their names whatever runs behind them, so that a
// later mode keeps the address users connect to.
package webtier
