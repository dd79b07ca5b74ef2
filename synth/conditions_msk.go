package synth

import (
	"fmt"
	"strings"
)

// init adds the provisioned MSK cluster's conditional rules to conditions.
func init() {
	const cluster = "aws:msk/cluster:Cluster"
	present := func(v any) bool { m, ok := v.(map[string]any); return ok && len(m) > 0 }
	blockAddedOrRemoved := func(old, new any, _ map[string]any) bool { return present(old) != present(new) }
	conditions[cluster] = append(conditions[cluster],
		// terraform-provider-aws internal/service/kafka/cluster.go: broker_node_group_info and
		// encryption_info are ForceNew blocks (MaxItems 1); adding or removing one replaces the
		// cluster, while their fields that are not ForceNew change in place.
		condition{input: "brokerNodeGroupInfo", replaces: blockAddedOrRemoved},
		condition{input: "encryptionInfo", replaces: blockAddedOrRemoved},
		// CustomizeDiff ForceNewIfChange(kafka_version): a downgrade replaces the cluster.
		condition{input: "kafkaVersion",
			replaces: func(old, new any, _ map[string]any) bool { return versionLess(str(new), str(old)) },
			// Amazon MSK Developer Guide, "KRaft mode": "You cannot switch metadata modes once the
			// cluster is created."
			refused: func(old, new any, _ map[string]any) string {
				o, n := str(old), str(new)
				if o == "" || n == "" || strings.HasSuffix(o, ".kraft") == strings.HasSuffix(n, ".kraft") || versionLess(n, o) {
					return ""
				}
				return fmt.Sprintf("Kafka version %s → %s: MSK cannot move a cluster between ZooKeeper and KRaft mode", o, n)
			}},
		// "Remove a broker from an Amazon MSK cluster": MSK removes brokers only once no partition
		// is left on them, which pulumi up does not do.
		condition{input: "numberOfBrokerNodes", refused: func(old, new any, _ map[string]any) string {
			if o, n := num(old), num(new); n < o {
				return fmt.Sprintf("brokers %g → %g: MSK removes brokers only after every partition has been moved off them (reassign the partitions first, then lower brokers)", o, n)
			}
			return ""
		}},
	)
}
