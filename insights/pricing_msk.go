package insights

import (
	"fmt"

	"github.com/tierstack/tierstack/synth"
)

// How a serverless cluster's data moves, for its estimate: what the cost model cannot say.
const (
	// streamingReadsPerWrite is how many consumer groups read each byte written: two (the app and
	// one other reader).
	streamingReadsPerWrite = 2
	// streamingRetainedShare is the share of a month's writes the cluster holds: a week's (Kafka's
	// default retention, 168 hours).
	streamingRetainedShare = 7.0 / 30
)

// priceMSKCluster: each broker's hour and its provisioned EBS volume. Storage auto scaling grows the
// volumes past the plan's size when they fill; the estimate prices the size created.
func priceMSKCluster(e *estimator, r *synth.Resource) ([]Line, string) {
	brokers, ok := num(r.Inputs, "numberOfBrokerNodes")
	if !ok {
		return nil, "the plan does not say the number of brokers"
	}
	typ := str(r.Inputs, "brokerNodeGroupInfo.instanceType")
	lines, why := e.hourly(fmt.Sprintf("%g × %s brokers", brokers, typ), "msk."+typ+".hour", brokers)
	if why != "" {
		return nil, why
	}
	if size, ok := num(r.Inputs, "brokerNodeGroupInfo.storageInfo.ebsStorageInfo.volumeSize"); ok {
		if l, ok := e.line(fmt.Sprintf("%g × %g GB broker storage", brokers, size), "msk.storage.gb_month", brokers*size, false); ok {
			lines = append(lines, l)
		}
	}
	return lines, ""
}

// priceMSKServerless: the cluster's hour, the model's partitions all month, the data written and read
// and the data retained (a share of it per serverless cluster).
func priceMSKServerless(e *estimator, r *synth.Resource) ([]Line, string) {
	lines, why := e.hourly("serverless cluster", "msk_serverless.cluster.hour", 1)
	if why != "" {
		return nil, why
	}
	in := e.share(e.model.StreamingGB, r.Type)
	partitions := e.share(e.model.StreamingPartitions, r.Type)
	for _, u := range []struct {
		item, id string
		qty      float64
	}{
		{fmt.Sprintf("%g partitions (partition-hours)", partitions), "msk_serverless.partition.hour", partitions * e.model.HoursPerMonth},
		{"data in (GB)", "msk_serverless.data_in.gb", in},
		{"data out (GB)", "msk_serverless.data_out.gb", in * streamingReadsPerWrite},
		{"data retained (GB-month)", "msk_serverless.storage.gb_month", in * streamingRetainedShare},
	} {
		l, ok := e.line(u.item, u.id, u.qty, true)
		if !ok {
			return nil, "no price " + u.id + " in the table"
		}
		lines = append(lines, l)
	}
	return lines, ""
}
