package edge

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/acm"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/route53"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierstack/tierstack/internal/awsenv"
	"github.com/tierstack/tierstack/internal/naming"
)

// CertificateTypeToken is the Pulumi type token of the Certificate component.
const CertificateTypeToken = "tierstack:index:Certificate"

// CertificateArgs are the inputs of a Certificate.
type CertificateArgs struct {
	// Domain is the name the certificate is for, such as app.example.com. Required.
	Domain string
	// AlternativeNames are more names on the certificate (www.app.example.com, *.app.example.com),
	// at most 9. Changing them requests a new certificate.
	AlternativeNames []string
	// HostedZoneID is the Route 53 public hosted zone that holds every name, where the validation
	// records go. Required.
	HostedZoneID string
	// CloudFront is the AWS provider for us-east-1, where CloudFront takes its certificates; with one,
	// the Certificate also holds a copy there (CloudFrontARN), validated by the same DNS records:
	// ACM asks for the same record for a name in every region. Nil for none. In us-east-1 the one
	// certificate serves both.
	CloudFront pulumi.ProviderResource
	// Tags are added to the certificate and beside a Name tag.
	Tags map[string]string
}

// Certificate is an ACM certificate for a domain, validated through DNS records in its hosted zone:
// ACM renews it by itself as long as the records stay.
type Certificate struct {
	pulumi.ResourceState

	// ARN is the certificate's ARN once ACM has issued it: whatever uses it waits for the validation.
	ARN pulumi.StringOutput `pulumi:"arn"`
	// CloudFrontARN is the validated certificate in us-east-1, for a CloudFront distribution; empty
	// without CertificateArgs.CloudFront.
	CloudFrontARN pulumi.StringOutput `pulumi:"cloudFrontArn"`
	// Names are the domain and its alternative names, in that order.
	Names []string
	// ValidationRecordFQDNs are the DNS validation records' names, one per name (a wildcard and its
	// base share one): a certificate for the same names in another region of the account is
	// validated by the same records (NewRegionalCertificate).
	ValidationRecordFQDNs pulumi.StringArrayOutput
	// keyAlgorithm is the certificate's key algorithm, which a regional copy repeats.
	keyAlgorithm string
}

// NewCertificate requests a certificate in the region of its provider (a load balancer's region; a
// CloudFront distribution needs one in us-east-1) and validates it. It checks the names against the
// hosted zone before it registers anything.
func NewCertificate(ctx *pulumi.Context, name string, args *CertificateArgs, opts ...pulumi.ResourceOption) (*Certificate, error) {
	if args == nil || args.Domain == "" || args.HostedZoneID == "" {
		return nil, fmt.Errorf("certificate %s: domain and hostedZoneId are required (allowed: a DNS name and the Route 53 zone that holds it)", name)
	}
	env, inv, err := awsenv.Resolve(ctx, opts)
	if err != nil {
		return nil, fmt.Errorf("certificate %s: %w", name, err)
	}
	if _, err := CheckZone(ctx, args.Domain, args.AlternativeNames, args.HostedZoneID, inv); err != nil {
		return nil, fmt.Errorf("certificate %s: %w", name, err)
	}
	c := &Certificate{Names: append([]string{args.Domain}, args.AlternativeNames...), keyAlgorithm: "RSA_2048"}
	if err := ctx.RegisterComponentResource(CertificateTypeToken, name, c, opts...); err != nil {
		return nil, fmt.Errorf("certificate %s: %w", name, err)
	}
	if err := c.build(ctx, name, args, env.Region); err != nil {
		return nil, fmt.Errorf("certificate %s: %w", name, err)
	}
	if err := ctx.RegisterResourceOutputs(c, pulumi.Map{"arn": c.ARN, "cloudFrontArn": c.CloudFrontARN}); err != nil {
		return nil, fmt.Errorf("certificate %s: registering outputs: %w", name, err)
	}
	return c, nil
}

// build requests the certificate, writes one validation record per name and waits for ACM; then the
// same in us-east-1 for CloudFront, with the same records.
func (c *Certificate) build(ctx *pulumi.Context, name string, args *CertificateArgs, region string) error {
	parent := pulumi.Parent(c)
	var alternatives pulumi.StringArray
	for _, n := range args.AlternativeNames {
		alternatives = append(alternatives, pulumi.String(n))
	}
	cert, err := acm.NewCertificate(ctx, name, &acm.CertificateArgs{
		DomainName:              pulumi.String(args.Domain),
		SubjectAlternativeNames: alternatives,
		ValidationMethod:        pulumi.String("DNS"),
		KeyAlgorithm:            pulumi.String(c.keyAlgorithm),
		Tags:                    naming.Tags(args.Tags, name),
	}, parent,
		// A listener holds the certificate: the new one must exist before the old one goes.
		pulumi.DeleteBeforeReplace(false))
	if err != nil {
		return err
	}
	var fqdns pulumi.StringArray
	validated := map[string]bool{}
	for _, host := range c.Names {
		// ACM validates *.name and name with one and the same record.
		base := strings.TrimPrefix(host, "*.")
		if validated[base] {
			continue
		}
		validated[base] = true
		option := cert.DomainValidationOptions.ApplyT(func(opts []acm.CertificateDomainValidationOption) (acm.CertificateDomainValidationOption, error) {
			for _, o := range opts {
				if o.DomainName != nil && *o.DomainName == host {
					return o, nil
				}
			}
			return acm.CertificateDomainValidationOption{}, fmt.Errorf("ACM gave no DNS validation record for %s", host)
		}).(acm.CertificateDomainValidationOptionOutput)
		record, err := route53.NewRecord(ctx, naming.Child(name, "validation-"+base), &route53.RecordArgs{
			ZoneId:  pulumi.String(args.HostedZoneID),
			Name:    option.ResourceRecordName().Elem(),
			Type:    option.ResourceRecordType().Elem(),
			Records: pulumi.StringArray{option.ResourceRecordValue().Elem()},
			Ttl:     pulumi.Int(300),
			// A record left by an earlier certificate for the same name holds the same value.
			AllowOverwrite: pulumi.Bool(true),
		}, parent)
		if err != nil {
			return err
		}
		fqdns = append(fqdns, record.Fqdn)
	}
	c.ValidationRecordFQDNs = fqdns.ToStringArrayOutput()
	validation, err := acm.NewCertificateValidation(ctx, naming.Child(name, "validation"), &acm.CertificateValidationArgs{
		CertificateArn:        cert.Arn,
		ValidationRecordFqdns: fqdns,
	}, parent)
	if err != nil {
		return err
	}
	c.ARN = validation.CertificateArn
	c.CloudFrontARN = pulumi.String("").ToStringOutput()
	switch {
	case args.CloudFront == nil:
	case region == "us-east-1":
		c.CloudFrontARN = c.ARN
	default:
		copyName := naming.Child(name, "us-east-1")
		copyCert, err := acm.NewCertificate(ctx, copyName, &acm.CertificateArgs{
			DomainName:              pulumi.String(args.Domain),
			SubjectAlternativeNames: alternatives,
			ValidationMethod:        pulumi.String("DNS"),
			KeyAlgorithm:            pulumi.String("RSA_2048"),
			Tags:                    naming.Tags(args.Tags, copyName),
		}, parent, pulumi.Provider(args.CloudFront))
		if err != nil {
			return err
		}
		copyValidation, err := acm.NewCertificateValidation(ctx, naming.Child(copyName, "validation"), &acm.CertificateValidationArgs{
			CertificateArn:        copyCert.Arn,
			ValidationRecordFqdns: fqdns,
		}, parent, pulumi.Provider(args.CloudFront))
		if err != nil {
			return err
		}
		c.CloudFrontARN = copyValidation.CertificateArn
	}
	return nil
}
