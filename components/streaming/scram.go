package streaming

import (
	"encoding/json"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/msk"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/secretsmanager"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/internal/naming"
	"github.com/tierstack/tierstack/internal/secrets"
)

// SCRAMSecretPrefix starts the name of every secret MSK takes for SASL/SCRAM: MSK refuses one whose
// name does not start with it, or that is encrypted with the default Secrets Manager key ("Sign-in
// credentials authentication with AWS Secrets Manager", Amazon MSK Developer Guide).
const SCRAMSecretPrefix = "AmazonMSK_"

// SCRAMUsername is the SASL/SCRAM user the Streaming creates.
const SCRAMUsername = "app"

// SCRAMPasswordLength is the generated password's length: letters and digits.
const SCRAMPasswordLength = 40

// buildSCRAM creates the SASL/SCRAM user: a generated password, a secret named with
// SCRAMSecretPrefix and encrypted with the Streaming's key holding {"username", "password"}, and its
// association with the cluster.
func (s *Streaming) buildSCRAM(ctx *pulumi.Context, name string, a checkedArgs, key *kms.Key, cluster *msk.Cluster) error {
	parent := pulumi.Parent(s)
	password, err := secrets.Password(ctx, naming.Child(name, "scram-password"), SCRAMPasswordLength, parent)
	if err != nil {
		return err
	}
	secretName := naming.Child(name, "scram")
	secret, err := secretsmanager.NewSecret(ctx, secretName, &secretsmanager.SecretArgs{
		NamePrefix:           pulumi.String(SCRAMSecretPrefix + secretName + "-"),
		Description:          pulumi.String(fmt.Sprintf("SASL/SCRAM user of Kafka %s: username and password", name)),
		KmsKeyId:             key.Arn,
		RecoveryWindowInDays: pulumi.Int(secrets.RecoveryWindowDays),
		Tags:                 naming.Tags(a.Tags, secretName),
	}, parent)
	if err != nil {
		return err
	}
	value := password.Result.ApplyT(func(p string) (string, error) {
		doc, err := json.Marshal(map[string]string{"username": SCRAMUsername, "password": p})
		if err != nil {
			return "", fmt.Errorf("scram secret: %w", err)
		}
		return string(doc), nil
	}).(pulumi.StringOutput)
	version, err := secretsmanager.NewSecretVersion(ctx, secretName+"-value", &secretsmanager.SecretVersionArgs{
		SecretId:     secret.ID(),
		SecretString: pulumi.ToSecret(value).(pulumi.StringOutput),
	}, parent)
	if err != nil {
		return err
	}
	if _, err := msk.NewScramSecretAssociation(ctx, naming.Child(name, "scram-users"), &msk.ScramSecretAssociationArgs{
		ClusterArn:     cluster.Arn,
		SecretArnLists: pulumi.StringArray{secret.Arn},
	}, parent, pulumi.DependsOn([]pulumi.Resource{version})); err != nil {
		return err
	}
	s.SCRAMSecretARN = secret.Arn
	return nil
}
