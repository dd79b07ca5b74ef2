package webtier

import "regexp"

// privateECRPattern is an image in a private Amazon ECR registry: account, region, repository.
var privateECRPattern = regexp.MustCompile(`^([0-9]{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?/([^:@]+)`)

// privateRegistry is where a private ECR image lives; the zero value means a public image.
type privateRegistry struct {
	// Host is the registry, such as 123456789012.dkr.ecr.eu-west-1.amazonaws.com.
	Host string
	// Account, Region and Repository name the repository.
	Account, Region, Repository string
}

// registryOf returns the private ECR registry of an image, and false for any other image (public
// ECR, Docker Hub, another registry), which the instances pull without credentials.
func registryOf(image string) (privateRegistry, bool) {
	m := privateECRPattern.FindStringSubmatch(image)
	if m == nil {
		return privateRegistry{}, false
	}
	return privateRegistry{
		Host:       m[1] + ".dkr.ecr." + m[2] + ".amazonaws.com" + m[3],
		Account:    m[1],
		Region:     m[2],
		Repository: m[4],
	}, true
}
