package edge

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/acm"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/internal/awsenv"
	"github.com/tierstack/tierstack/internal/naming"
)

// RegionalCertificateTypeToken is the Pulumi type token of the RegionalCertificate component.
const RegionalCertificateTypeToken = "tierstack:index:RegionalCertificate"

// RegionalCertificateArgs are the inputs of a RegionalCertificate.
type RegionalCertificateArgs struct {
	// Primary is the certificate whose names it repeats and whose DNS validation records validate
	// it. Required.
	Primary *Certificate
	// Tags are added to the certificate beside a Name tag.
	Tags map[string]string
}

// RegionalCertificate is an ACM certificate for a Certificate's names in another region — the
// region of the provider its options give, such as a DR region's load balancer's — validated by the
// Primary's DNS records. It writes no DNS record: ACM asks for one and the same validation record
// for a name in every region of an account (the Certificate's us-east-1 copy for CloudFront relies
// on it too; terraform-provider-aws issue #13653, where a second region's certificate for the same
// name asks for the record that already exists, and the maintainers advise one record for both), so
// a second record resource for the same name would only be a second owner of the primary's record:
// deleting it with the DR region would delete the record the primary's renewals need. ACM
// certificates are regional and cannot be copied between regions (ACM User Guide, "Supported
// Regions"), hence one per region.
type RegionalCertificate struct {
	pulumi.ResourceState

	// ARN is the certificate's ARN once ACM has issued it: whatever uses it waits for the validation.
	ARN pulumi.StringOutput `pulumi:"arn"`
	// Names are the domain and its alternative names, the Primary's.
	Names []string
}

// NewRegionalCertificate requests a certificate for the Primary's names in the region of the
// provider its options give and waits for ACM to validate it through the Primary's records. It
// checks its arguments and looks the region up before it registers anything.
func NewRegionalCertificate(ctx *pulumi.Context, name string, args *RegionalCertificateArgs, opts ...pulumi.ResourceOption) (*RegionalCertificate, error) {
	if args == nil || args.Primary == nil || len(args.Primary.Names) == 0 {
		return nil, fmt.Errorf("regional certificate %s: primary is required (allowed: the Certificate whose names and validation records it takes)", name)
	}
	if _, _, err := awsenv.Resolve(ctx, opts); err != nil {
		return nil, fmt.Errorf("regional certificate %s: %w", name, err)
	}
	p := args.Primary
	c := &RegionalCertificate{Names: append([]string(nil), p.Names...)}
	if err := ctx.RegisterComponentResource(RegionalCertificateTypeToken, name, c, opts...); err != nil {
		return nil, fmt.Errorf("regional certificate %s: %w", name, err)
	}
	algorithm := p.keyAlgorithm
	if algorithm == "" {
		algorithm = "RSA_2048" // NewCertificate's
	}
	var alternatives pulumi.StringArray
	for _, n := range p.Names[1:] {
		alternatives = append(alternatives, pulumi.String(n))
	}
	cert, err := acm.NewCertificate(ctx, name, &acm.CertificateArgs{
		DomainName:              pulumi.String(p.Names[0]),
		SubjectAlternativeNames: alternatives,
		ValidationMethod:        pulumi.String("DNS"),
		KeyAlgorithm:            pulumi.String(algorithm),
		Tags:                    naming.Tags(args.Tags, name),
	}, pulumi.Parent(c),
		// A listener holds the certificate: the new one must exist before the old one goes.
		pulumi.DeleteBeforeReplace(false))
	if err != nil {
		return nil, fmt.Errorf("regional certificate %s: %w", name, err)
	}
	validation, err := acm.NewCertificateValidation(ctx, naming.Child(name, "validation"), &acm.CertificateValidationArgs{
		CertificateArn:        cert.Arn,
		ValidationRecordFqdns: p.ValidationRecordFQDNs,
	}, pulumi.Parent(c))
	if err != nil {
		return nil, fmt.Errorf("regional certificate %s: %w", name, err)
	}
	c.ARN = validation.CertificateArn
	if err := ctx.RegisterResourceOutputs(c, pulumi.Map{"arn": c.ARN}); err != nil {
		return nil, fmt.Errorf("regional certificate %s: registering outputs: %w", name, err)
	}
	return c, nil
}
