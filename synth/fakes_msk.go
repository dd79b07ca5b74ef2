package synth

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// mskOutputs adds what Amazon MSK computes for its types: names (Pulumi auto-names a cluster's and a
// configuration's), ARNs in MSK's shape (arn:aws:kafka:REGION:ACCOUNT:cluster/NAME/UUID, which the
// topic and group ARNs of an IAM policy are built from), the configuration's revision, and the
// bootstrap broker strings of each listener the cluster has: b-N.NAME.xxxxxx.c2.kafka.REGION.amazonaws.com
// on 9098 for SASL/IAM and 9096 for SASL/SCRAM, one per broker (at most three, as MSK lists them);
// a serverless cluster's single boot-xxxxxx.c2.kafka-serverless endpoint on 9098. It reports whether
// typ is one of them.
func mskOutputs(state resource.PropertyMap, typ, id, autoName string, reg region, set func(k, v string)) bool {
	arn := func(kind, name string) string {
		return fmt.Sprintf("arn:%s:kafka:%s:%s:%s/%s/%s", reg.partition().name, reg.name, FakeAccountID, kind, name, fakeUUID(id))
	}
	switch typ {
	case "aws:msk/cluster:Cluster":
		set("clusterName", autoName)
		name := plainString(state["clusterName"], autoName)
		set("arn", arn("cluster", name))
		set("clusterUuid", fakeUUID(id))
		set("currentVersion", "K"+strings.ToUpper(shortHash(id, 13)))
		brokers := 3
		if n := state["numberOfBrokerNodes"]; n.IsNumber() {
			brokers = int(n.NumberValue())
		}
		host := func(i int) string {
			return fmt.Sprintf("b-%d.%s.%s.c2.kafka.%s.%s", i, strings.ToLower(name), shortHash(id, 6), reg.name, reg.partition().dnsSuffix)
		}
		list := func(port int) string {
			var hosts []string
			for i := 1; i <= min(brokers, 3); i++ {
				hosts = append(hosts, fmt.Sprintf("%s:%d", host(i), port))
			}
			return strings.Join(hosts, ",")
		}
		sasl := state["clientAuthentication"]
		on := func(mech string) bool {
			if !sasl.IsObject() {
				return false
			}
			s := sasl.ObjectValue()["sasl"]
			if !s.IsObject() {
				return false
			}
			v := s.ObjectValue()[resource.PropertyKey(mech)]
			return v.IsBool() && v.BoolValue()
		}
		if on("iam") {
			set("bootstrapBrokersSaslIam", list(9098))
		} else {
			set("bootstrapBrokersSaslIam", "")
		}
		if on("scram") {
			set("bootstrapBrokersSaslScram", list(9096))
		} else {
			set("bootstrapBrokersSaslScram", "")
		}
	case "aws:msk/serverlessCluster:ServerlessCluster":
		set("clusterName", autoName)
		name := plainString(state["clusterName"], autoName)
		set("arn", arn("cluster", name))
		set("clusterUuid", fakeUUID(id))
		set("bootstrapBrokersSaslIam", fmt.Sprintf("boot-%s.c2.kafka-serverless.%s.%s:9098", shortHash(id, 8), reg.name, reg.partition().dnsSuffix))
	case "aws:msk/configuration:Configuration":
		set("name", autoName)
		set("arn", arn("configuration", plainString(state["name"], autoName)))
		if _, ok := state["latestRevision"]; !ok {
			state["latestRevision"] = resource.NewProperty(1.0)
		}
	case "aws:msk/scramSecretAssociation:ScramSecretAssociation":
		set("clusterArn", plainString(state["clusterArn"], ""))
	default:
		return false
	}
	return true
}

// fakeUUID makes a stable UUID with MSK's suffix shape (8-4-4-4-12 hex, then -2) from a seed.
func fakeUUID(seed string) string {
	h := shortHash(seed+"/uuid", 32)
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32] + "-2"
}
