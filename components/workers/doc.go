// Package workers is the Workers component (tierstack:index:Workers): background jobs moved off the
// request path onto a queue, as the Beanstalk worker tier and the news-feed write-up do. It builds
// an SQS queue and its dead-letter queue, encrypted with a key of their own and reached over TLS
// only, and runs a second container image that consumes them beside the web tier, in the web tier's
// mode: an Auto Scaling group without a load balancer (mode autoscaling), or a Deployment on the
// same EKS cluster scaled by KEDA (mode eks). Both scale on the queue's backlog per worker.
//
// A Workers is made in two steps, because the web tier and the workers each need the other: New
// creates the queues (the web tier learns QUEUE_URL from it as a webtier.Backend), Run starts the
// workers beside the WebTier once it exists (on its cluster in mode eks), and GrantSend lets the
// web tier's role send to the queue.
package workers
