package insights

import (
	"fmt"

	"github.com/tierstack/tierstack/synth"
)

// filesIAShare is the share of the shared files that sits in Infrequent Access: an assumption (half:
// uploads are written once and most are rarely read after the lifecycle's 30 days).
const filesIAShare = 0.5

// priceFileSystem: the model's FilesGB (shared evenly between file systems), filesIAShare of it in
// Infrequent Access and the rest in Standard. Elastic throughput's reads and writes, IA's per-GB
// access charge and AWS Backup's storage are not in the estimate.
func priceFileSystem(e *estimator, r *synth.Resource) ([]Line, string) {
	gb := e.share(e.model.FilesGB, r.Type)
	var lines []Line
	for _, u := range []struct {
		item, id string
		qty      float64
	}{
		{fmt.Sprintf("%.3g GB in Standard", gb*(1-filesIAShare)), "efs.standard.gb_month", gb * (1 - filesIAShare)},
		{fmt.Sprintf("%.3g GB in Infrequent Access", gb*filesIAShare), "efs.ia.gb_month", gb * filesIAShare},
	} {
		l, ok := e.line(u.item, u.id, u.qty, true)
		if !ok {
			return nil, "no price " + u.id + " in the table"
		}
		lines = append(lines, l)
	}
	return lines, ""
}
