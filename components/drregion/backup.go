package drregion

import (
	"time"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/backup"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/internal/awsenv"
	"github.com/tierstack/tierstack/internal/kmskey"
	"github.com/tierstack/tierstack/internal/naming"
)

// BackupSchedule is when the daily backup starts: 06:00 UTC, after the database's default backup
// window (03:00-04:00) and its Sunday maintenance window (04:30-05:30).
const BackupSchedule = "cron(0 6 ? * * *)"

// BackupStartWindow is how long after BackupSchedule a backup may start before it is cancelled.
const BackupStartWindow = time.Hour

// BackupCompletionWindow is how long a started backup may run before AWS Backup cancels it.
const BackupCompletionWindow = 3 * time.Hour

// BackupServicePolicy is the AWS managed policy that lets AWS Backup back up the supported services'
// resources (AWS Backup Developer Guide, "Managed policies for AWS Backup").
const BackupServicePolicy = "service-role/AWSBackupServiceRolePolicyForBackup"

// newKey creates a KMS key of the stack's kind (kmskey.Policy), and with logs, one that CloudWatch
// Logs of env's region may use too.
func newKey(ctx *pulumi.Context, name, description string, env awsenv.Env, tags map[string]string, logs bool, opts ...pulumi.ResourceOption) (*kms.Key, error) {
	var extra []kmskey.Statement
	if logs {
		extra = append(extra, kmskey.Logs(env))
	}
	return kmskey.NewWith(ctx, name, description, env, tags, extra, opts...)
}

// buildBackup creates the two vaults, each with its own key, the role AWS Backup runs as, and the
// plan and selection that back the resources up in the primary region and copy every recovery
// point to the DR vault.
func (b builder) buildBackup() error {
	ctx, a := b.ctx, b.a
	drKey, err := newKey(ctx, b.child("backup-key"), "tierstack: the DR region's backup vault", b.drEnv, a.Tags, false, b.inDR(b.kept()...)...)
	if err != nil {
		return err
	}
	drVault, err := backup.NewVault(ctx, b.child("backup-vault"), &backup.VaultArgs{
		KmsKeyArn: drKey.Arn, Tags: naming.Tags(a.Tags, b.child("backup-vault")),
	}, b.inDR(b.kept()...)...)
	if err != nil {
		return err
	}
	srcKey, err := newKey(ctx, b.child("backup-source-key"), "tierstack: the primary region's backup vault", b.primaryEnv, a.Tags, false, b.inPrimary(b.kept()...)...)
	if err != nil {
		return err
	}
	srcVault, err := backup.NewVault(ctx, b.child("backup-source-vault"), &backup.VaultArgs{
		KmsKeyArn: srcKey.Arn, Tags: naming.Tags(a.Tags, b.child("backup-source-vault")),
	}, b.inPrimary(b.kept()...)...)
	if err != nil {
		return err
	}

	role, err := iam.NewRole(ctx, b.child("backup-role"), &iam.RoleArgs{
		AssumeRolePolicy: pulumi.String(mustJSON(ServiceTrustPolicy("backup.amazonaws.com"))),
		Description:      pulumi.String("tierstack: AWS Backup backs up the primary's data and copies it to the DR region"),
		Tags:             naming.Tags(a.Tags, b.child("backup-role")),
	}, b.inPrimary()...)
	if err != nil {
		return err
	}
	service, err := iam.NewRolePolicyAttachment(ctx, b.child("backup-role-service"), &iam.RolePolicyAttachmentArgs{
		Role: role.Name, PolicyArn: pulumi.String(b.primaryEnv.ManagedPolicyARN(BackupServicePolicy)),
	}, b.inPrimary()...)
	if err != nil {
		return err
	}
	var resourceKeys pulumi.StringArrayInput = pulumi.StringArray{}
	if a.Backup.KeyARNs != nil {
		resourceKeys = a.Backup.KeyARNs
	}
	keysPolicy := pulumi.All(resourceKeys, srcKey.Arn, drKey.Arn).ApplyT(func(v []any) (string, error) {
		var src []string
		if list, ok := v[0].([]string); ok {
			src = append(src, list...)
		}
		src = append(src, v[1].(string))
		return BackupKeyPolicy(src, []string{v[2].(string)})
	}).(pulumi.StringOutput)
	keys, err := iam.NewRolePolicy(ctx, b.child("backup-role-keys"), &iam.RolePolicyArgs{
		Role: role.Name, Policy: keysPolicy,
	}, b.inPrimary()...)
	if err != nil {
		return err
	}

	days := pulumi.Int(a.BackupRetentionDays)
	plan, err := backup.NewPlan(ctx, b.child("backup-plan"), &backup.PlanArgs{
		Rules: backup.PlanRuleArray{backup.PlanRuleArgs{
			RuleName:         pulumi.String("daily-copy-to-" + b.drEnv.Region),
			TargetVaultName:  srcVault.Name,
			Schedule:         pulumi.String(BackupSchedule),
			StartWindow:      pulumi.Int(int(BackupStartWindow.Minutes())),
			CompletionWindow: pulumi.Int(int(BackupCompletionWindow.Minutes())),
			Lifecycle:        &backup.PlanRuleLifecycleArgs{DeleteAfter: days},
			CopyActions: backup.PlanRuleCopyActionArray{backup.PlanRuleCopyActionArgs{
				DestinationVaultArn: drVault.Arn,
				Lifecycle:           &backup.PlanRuleCopyActionLifecycleArgs{DeleteAfter: days},
			}},
		}},
		Tags: naming.Tags(a.Tags, b.child("backup-plan")),
	}, b.inPrimary()...)
	if err != nil {
		return err
	}
	// The selection's first backup may start as soon as it exists: the role has its permissions by
	// then.
	if _, err := backup.NewSelection(ctx, b.child("backup-selection"), &backup.SelectionArgs{
		PlanId: plan.ID(), IamRoleArn: role.Arn, Resources: a.Backup.ResourceARNs,
	}, b.inPrimary(pulumi.DependsOn([]pulumi.Resource{service, keys}))...); err != nil {
		return err
	}
	b.d.BackupVaultARN, b.d.SourceVaultARN, b.d.BackupPlanID = drVault.Arn, srcVault.Arn, plan.ID().ToStringOutput()
	b.d.signalInputs.SourceVaultName = srcVault.Name
	return nil
}
