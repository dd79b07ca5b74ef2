package insights

import (
	"fmt"
	"math"
)

// CostModel is the usage a cost estimate assumes: what the plan cannot know (hours run, requests,
// data moved and stored). Every figure is per month. DefaultCostModel derives each from the user
// count; stack config (tierstack:costModel) overrides any of them.
type CostModel struct {
	// Users is how many users the estimate divides the monthly cost by.
	Users int `json:"users"`
	// HoursPerMonth is how long an always-on resource runs a month (730, as AWS's calculator).
	HoursPerMonth float64 `json:"hoursPerMonth"`
	// Requests are the HTTP requests users make a month (CloudFront, WAF, load balancer).
	Requests float64 `json:"requests"`
	// TransferOutGB is the data served to users a month (CloudFront).
	TransferOutGB float64 `json:"transferOutGB"`
	// NATGB is the data the NAT gateways process a month, shared evenly between them.
	NATGB float64 `json:"natGB"`
	// ALBLCU is the load balancer capacity units used on average.
	ALBLCU float64 `json:"albLCU"`
	// DatabaseGB is the Aurora cluster volume.
	DatabaseGB float64 `json:"databaseGB"`
	// DatabaseIOMillions are the Aurora I/O requests a month, in millions (Aurora Standard).
	DatabaseIOMillions float64 `json:"databaseIOMillions"`
	// DatabaseActiveHours is how long a database that can pause (minimum 0 ACUs) runs a month. It
	// pauses only after SecondsUntilAutoPause with no connection open (Aurora User Guide, "Scaling to
	// zero ACUs with automatic pause and resume for Aurora Serverless v2"); an app with a connection
	// pool keeps connections open, so the default is the whole month.
	DatabaseActiveHours float64 `json:"databaseActiveHours"`
	// AverageACU is the average capacity of each Serverless v2 instance while it runs, held inside
	// the cluster's minimum and maximum.
	AverageACU float64 `json:"averageAcu"`
	// StorageGB is what the S3 buckets hold, shared evenly between them.
	StorageGB float64 `json:"storageGB"`
	// LogsGB is the log data ingested into CloudWatch Logs a month, shared evenly between the log
	// groups.
	LogsGB float64 `json:"logsGB"`
	// DNSQueriesMillions are the Route 53 queries a month, in millions.
	DNSQueriesMillions float64 `json:"dnsQueriesMillions"`
	// DynamoDBWritesMillions and DynamoDBReadsMillions are on-demand request units a month, in
	// millions, shared evenly between the tables.
	DynamoDBWritesMillions float64 `json:"dynamodbWritesMillions"`
	DynamoDBReadsMillions  float64 `json:"dynamodbReadsMillions"`
	// DynamoDBGB is what the tables hold.
	DynamoDBGB float64 `json:"dynamodbGB"`
	// QueueRequestsMillions and TopicRequestsMillions are SQS and SNS requests a month, in millions.
	QueueRequestsMillions float64 `json:"queueRequestsMillions"`
	TopicRequestsMillions float64 `json:"topicRequestsMillions"`
	// RootVolumeGB is the root volume of an instance whose plan does not say (gp3).
	RootVolumeGB float64 `json:"rootVolumeGB"`
	// StreamingPartitions are the Kafka partitions a serverless MSK cluster holds all month.
	StreamingPartitions float64 `json:"streamingPartitions"`
	// StreamingGB is the data written to Kafka a month; a serverless cluster also sends it out to
	// streamingReadsPerWrite consumer groups and keeps streamingRetainedShare of it.
	StreamingGB float64 `json:"streamingGB"`
	// FilesGB is what the shared files (EFS) hold; filesIAShare of it sits in Infrequent Access.
	FilesGB float64 `json:"filesGB"`
}

// Usage per user a month behind DefaultCostModel: assumptions, not measurements.
const (
	requestsPerUser      = 1500   // 50 requests a day
	transferGBPerUser    = 0.02   // 20 MB a month
	natGBPerUser         = 0.002  // 2 MB a month of package, image and API traffic
	databaseGBPerUser    = 0.001  // 1 MB of rows
	ioPerRequest         = 2      // Aurora I/Os per request (the cache takes the rest)
	storageGBPerUser     = 0.005  // 5 MB of assets and access logs
	logsGBPerUser        = 0.002  // 2 MB of logs
	dnsQueriesPerUser    = 30     // one lookup a day
	dynamoWritesPerUser  = 10     // sessions and carts
	dynamoReadsPerUser   = 50     //
	dynamoGBPerUser      = 0.0001 // 100 kB
	requestsPerLCU       = 25.0   // new connections a second one LCU covers
	secondsPerMonth      = 730 * 3600.0
	pausingActiveHours   = defaultHoursPerMonth // a pooled app never lets the database pause
	defaultRootVolumeGB  = 8.0                  // Amazon Linux 2023's default root volume
	defaultHoursPerMonth = 730.0
	// streamingGBPerUser is 10 MB of events a month (a few hundred small events a day).
	streamingGBPerUser = 0.01
	// filesGBPerUser is 2 MB of uploads (a WordPress site's media) per user.
	filesGBPerUser = 0.002
	// streamingUsersPerPartition sizes the topics: a partition per 10,000 users, 12 at least (a few
	// topics over three zones).
	streamingUsersPerPartition = 10_000
	minStreamingPartitions     = 12
)

// DefaultCostModel returns the usage assumed for users users: each figure is the user count times
// a per-user rate (see the constants), with floors so that a small stack is not priced at zero.
func DefaultCostModel(users int) CostModel {
	u := float64(max(users, 1))
	requests := u * requestsPerUser
	return CostModel{
		Users:                  users,
		HoursPerMonth:          defaultHoursPerMonth,
		Requests:               requests,
		TransferOutGB:          u * transferGBPerUser,
		NATGB:                  u * natGBPerUser,
		ALBLCU:                 math.Max(1, requests/secondsPerMonth/requestsPerLCU),
		DatabaseGB:             math.Max(1, u*databaseGBPerUser),
		DatabaseIOMillions:     requests * ioPerRequest / 1e6,
		DatabaseActiveHours:    pausingActiveHours,
		AverageACU:             averageACU(users),
		StorageGB:              math.Max(1, u*storageGBPerUser),
		LogsGB:                 math.Max(1, u*logsGBPerUser),
		DNSQueriesMillions:     u * dnsQueriesPerUser / 1e6,
		DynamoDBWritesMillions: u * dynamoWritesPerUser / 1e6,
		DynamoDBReadsMillions:  u * dynamoReadsPerUser / 1e6,
		DynamoDBGB:             math.Max(1, u*dynamoGBPerUser),
		QueueRequestsMillions:  1,
		TopicRequestsMillions:  1,
		RootVolumeGB:           defaultRootVolumeGB,
		StreamingPartitions:    math.Max(minStreamingPartitions, math.Ceil(u/streamingUsersPerPartition)),
		StreamingGB:            u * streamingGBPerUser,
		FilesGB:                math.Max(1, u*filesGBPerUser),
	}
}

// averageACU is the average Serverless v2 capacity of each instance for a user count.
func averageACU(users int) float64 {
	switch {
	case users <= 100:
		return 0.5
	case users <= 10_000:
		return 1.5
	case users <= 100_000:
		return 4
	default:
		return 8
	}
}

// Validate refuses a model no estimate can use: negative figures, no users, no hours.
func (m CostModel) Validate() error {
	if m.Users <= 0 {
		return fmt.Errorf("costModel users %d: want a positive number of users", m.Users)
	}
	if m.HoursPerMonth <= 0 || m.HoursPerMonth > 744 {
		return fmt.Errorf("costModel hoursPerMonth %g: want more than 0 and at most 744 (31 days)", m.HoursPerMonth)
	}
	if m.DatabaseActiveHours < 0 || m.DatabaseActiveHours > m.HoursPerMonth {
		return fmt.Errorf("costModel databaseActiveHours %g: want 0 to hoursPerMonth (%g)", m.DatabaseActiveHours, m.HoursPerMonth)
	}
	for name, v := range map[string]float64{
		"requests": m.Requests, "transferOutGB": m.TransferOutGB, "natGB": m.NATGB, "albLCU": m.ALBLCU,
		"databaseGB": m.DatabaseGB, "databaseIOMillions": m.DatabaseIOMillions, "averageAcu": m.AverageACU,
		"storageGB": m.StorageGB, "logsGB": m.LogsGB, "dnsQueriesMillions": m.DNSQueriesMillions,
		"dynamodbWritesMillions": m.DynamoDBWritesMillions, "dynamodbReadsMillions": m.DynamoDBReadsMillions,
		"dynamodbGB": m.DynamoDBGB, "queueRequestsMillions": m.QueueRequestsMillions,
		"topicRequestsMillions": m.TopicRequestsMillions, "rootVolumeGB": m.RootVolumeGB,
		"streamingPartitions": m.StreamingPartitions, "streamingGB": m.StreamingGB,
		"filesGB": m.FilesGB,
	} {
		if v < 0 || math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("costModel %s %g: want a number 0 or more", name, v)
		}
	}
	return nil
}
