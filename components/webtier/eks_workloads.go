package webtier

import (
	"github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Workloads is what mode eks gives a composing program to run more workloads on the cluster beside
// the app, such as a Workers' Deployment: the cluster's Kubernetes provider, the app's namespace
// (Pod Security "restricted", enforced) and what a workload must wait for. A WebTier in another
// mode has none (WebTier.Workloads is nil).
type Workloads struct {
	// Provider reaches the cluster's API.
	Provider *kubernetes.Provider
	// ClusterName is the EKS cluster's name (ClusterName), for Pod Identity associations.
	ClusterName string
	// Cluster is the EKS cluster: a Pod Identity association waits for it.
	Cluster pulumi.Resource
	// Namespace is the app's namespace, AppNamespace: workloads in it wait for it.
	Namespace pulumi.Resource
	// Ready are the node groups and add-ons (the EFS CSI driver too when there are Mounts): a
	// workload's pods start once they run.
	Ready []pulumi.Resource
	// Claims are the PersistentVolumeClaims of the WebTier's Mounts in Namespace, by mount path
	// (Mount.Path): a workload mounts the same files with a persistentVolumeClaim volume of that
	// claim name (ReadWriteMany), and waits for Ready. Its pods see the files as the access
	// point's POSIX user, whatever their own. Nil without Mounts.
	Claims map[string]pulumi.StringOutput
	// KEDA is KEDA's Helm release: a ScaledObject or TriggerAuthentication waits for it (its chart
	// defines the kinds and its webhook admits them). Mode eks always installs KEDA.
	KEDA pulumi.Resource
	// KEDARoleName is the name of the KEDA operator's IAM role (Pod Identity of
	// keda/keda-operator), which has no permissions of its own: a workload scaled on an AWS metric
	// attaches what its scaler reads, such as sqs:GetQueueAttributes on its queue, and
	// authenticates its trigger with KEDAOperatorAuth (TriggerAuthentication podIdentity provider
	// aws).
	KEDARoleName pulumi.StringOutput
}
