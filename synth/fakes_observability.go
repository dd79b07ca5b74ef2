package synth

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// observabilityOutputs sets what SNS, SQS, Lambda, CloudWatch alarms and dashboards, OpenSearch and
// Chatbot compute, in the shapes AWS gives them. It reports whether typ is one of theirs.
func observabilityOutputs(state resource.PropertyMap, typ, id, autoName string, reg region, set func(k, v string)) bool {
	p, r, dns := reg.partition().name, reg.name, reg.partition().dnsSuffix
	switch typ {
	case "aws:sns/topic:Topic":
		set("name", autoName)
		set("arn", fmt.Sprintf("arn:%s:sns:%s:%s:%s", p, r, FakeAccountID, plainString(state["name"], autoName)))
	case "aws:sns/topicSubscription:TopicSubscription":
		set("arn", fmt.Sprintf("%s:%s", plainString(state["topic"], "arn:"+p+":sns:"+r+":"+FakeAccountID+":topic"), uuidOf(id)))
	case "aws:sqs/queue:Queue":
		name := plainString(state["name"], autoName)
		set("name", name)
		set("arn", fmt.Sprintf("arn:%s:sqs:%s:%s:%s", p, r, FakeAccountID, name))
		set("url", fmt.Sprintf("https://sqs.%s.%s/%s/%s", r, dns, FakeAccountID, name))
	case "aws:lambda/function:Function":
		name := plainString(state["name"], autoName)
		set("name", name)
		set("arn", fmt.Sprintf("arn:%s:lambda:%s:%s:function:%s", p, r, FakeAccountID, name))
		set("invokeArn", fmt.Sprintf("arn:%s:apigateway:%s:lambda:path/2015-03-31/functions/arn:%s:lambda:%s:%s:function:%s/invocations", p, r, p, r, FakeAccountID, name))
	case "aws:cloudwatch/metricAlarm:MetricAlarm":
		name := plainString(state["name"], autoName)
		set("name", name)
		set("arn", fmt.Sprintf("arn:%s:cloudwatch:%s:%s:alarm:%s", p, r, FakeAccountID, name))
	case "aws:cloudwatch/compositeAlarm:CompositeAlarm":
		set("arn", fmt.Sprintf("arn:%s:cloudwatch:%s:%s:alarm:%s", p, r, FakeAccountID, plainString(state["alarmName"], autoName)))
	case "aws:cloudwatch/dashboard:Dashboard":
		set("dashboardArn", fmt.Sprintf("arn:%s:cloudwatch::%s:dashboard/%s", p, FakeAccountID, plainString(state["dashboardName"], autoName)))
	case "aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter":
		set("name", autoName)
	case "aws:opensearch/domain:Domain":
		name := plainString(state["domainName"], autoName)
		set("domainName", name)
		set("domainId", FakeAccountID+"/"+name)
		set("arn", fmt.Sprintf("arn:%s:es:%s:%s:domain/%s", p, r, FakeAccountID, name))
		set("endpoint", fmt.Sprintf("vpc-%s-%s.%s.es.%s", name, shortHash(id, 26), r, dns))
		set("dashboardEndpoint", fmt.Sprintf("vpc-%s-%s.%s.es.%s/_dashboards", name, shortHash(id, 26), r, dns))
	case "aws:chatbot/slackChannelConfiguration:SlackChannelConfiguration":
		set("chatConfigurationArn", fmt.Sprintf("arn:%s:chatbot::%s:chat-configuration/slack-channel/%s", p, FakeAccountID, plainString(state["configurationName"], autoName)))
	default:
		return false
	}
	return true
}

// memberClusters are a replication group's member cluster IDs as ElastiCache names them:
// GROUP-001… with one node group, GROUP-0001-001… with node groups (cluster mode enabled).
func memberClusters(state resource.PropertyMap, groupID string) resource.PropertyValue {
	var ids []resource.PropertyValue
	if groups := state["numNodeGroups"]; groups.IsNumber() {
		replicas := 0
		if rp := state["replicasPerNodeGroup"]; rp.IsNumber() {
			replicas = int(rp.NumberValue())
		}
		for g := 1; g <= int(groups.NumberValue()); g++ {
			for n := 1; n <= replicas+1; n++ {
				ids = append(ids, resource.NewProperty(fmt.Sprintf("%s-%04d-%03d", groupID, g, n)))
			}
		}
	} else if nodes := state["numCacheClusters"]; nodes.IsNumber() {
		for n := 1; n <= int(nodes.NumberValue()); n++ {
			ids = append(ids, resource.NewProperty(fmt.Sprintf("%s-%03d", groupID, n)))
		}
	}
	return resource.NewArrayProperty(ids)
}
